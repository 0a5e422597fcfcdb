// Planning a workflow run for one feature: variables, directories, and for every phase its
// rendered prompt, its invocation, its outputs and inputs. Still nothing is written.
import { createHash } from 'node:crypto';
import path from 'node:path';

import { ADAPTERS } from '../agents/registry.js';
import type { AgentAdapter, AgentInvocation, AgentName } from '../agents/types.js';
import { waves } from '../graph/topology.js';
import { DEFAULTS } from '../options/defaults.js';
import type { WorkspaceSetup } from '../workspace/setup.js';
import type { CandidateOf, Judging } from './candidates.js';
import type { LoadedPhase, LoadedWorkflow } from './load.js';
import { checkJudgedNeeds, checkOutputsAndInputs } from './plan-checks.js';
import { type Problem, throwIfProblems } from './problems.js';
import { renderTemplate } from './template.js';
import { DEFAULT_DIRS } from './variables.js';

/** What the caller of a run decides. */
export interface RunSettings {
  readonly feature: string;
  readonly initialPath: string | null;
  readonly vars: Readonly<Record<string, string>>;
  readonly agent: AgentName | null;
  readonly timeoutSec: number | null;
  readonly idleTimeoutSec: number | null;
  readonly killAfterSec: number | null;
  readonly concurrency: number | null;
  readonly attempt: number;
  /** Replaces the min_score of every phase that has one. */
  readonly minScore: number | null;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Run every phase in its own worktree (--isolate), whatever the workflow says. */
  readonly isolate?: boolean;
}

/** One phase, ready to become a job. */
export interface PlannedPhase {
  readonly id: string;
  readonly agent: AgentName;
  readonly adapter: AgentAdapter;
  readonly needs: readonly string[];
  readonly timeoutSec: number;
  readonly idleTimeoutSec: number;
  readonly prompt: string | null;
  readonly promptFile: string | null;
  /** sha256 of the rendered prompt, or of the command for command phases. */
  readonly sha256: string;
  readonly invocation: AgentInvocation;
  readonly outputs: readonly string[];
  readonly inputs: readonly string[];
  /** Tags of the pool workers that may run it (--redis); empty: any worker. */
  readonly runsOn: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** The least "Score: N/10" the first output must show; null for no score check. */
  readonly minScore: number | null;
  /** Whether the phase runs in its own git worktree. */
  readonly isolation: 'none' | 'worktree';
  /** What its worktree gets before it starts. */
  readonly workspace: WorkspaceSetup;
  /** Phases that must have ended (any outcome) before it starts: a judge's candidates. */
  readonly after: readonly string[];
  /** Set on a candidate of a best-of-N phase. */
  readonly candidate: CandidateOf | null;
  /** Set on the judge of a best-of-N phase. */
  readonly judging: Judging | null;
}

/** A whole run, planned. */
export interface WorkflowPlan {
  readonly workflow: LoadedWorkflow;
  readonly feature: string;
  readonly dirs: { readonly feature: string; readonly planning: string; readonly logs: string };
  readonly phases: readonly PlannedPhase[];
  readonly waves: readonly (readonly string[])[];
  readonly concurrency: number;
  readonly killAfterSec: number;
  /** defaults.fail_fast: stop the run at the first phase that does not succeed. */
  readonly failFast: boolean;
  readonly settings: RunSettings;
}

/** Plans the run; throws one UsageError listing every problem found. */
export function planWorkflow(workflow: LoadedWorkflow, settings: RunSettings): WorkflowPlan {
  const problems: Problem[] = [];
  const { declared, source } = workflow;
  const base: Record<string, string> = {
    ...Object.fromEntries(
      Object.entries(declared.vars ?? {}).map(([key, value]) => [key, String(value)]),
    ),
    ...settings.vars,
    FEATURE_NAME: settings.feature,
    WORKFLOW_DIR: path.relative(settings.cwd, workflow.dir) || '.',
    INITIAL_MD_PATH: settings.initialPath ?? '',
    ATTEMPT: String(settings.attempt),
  };
  const render = (text: string, where: (string | number)[], variables: Record<string, string>) => {
    const rendered = renderTemplate(text, variables);
    for (const unknown of rendered.unknown) {
      problems.push(source.at(where, `unknown template variable \${${unknown.name}}`));
    }
    return rendered.text;
  };
  base.FEATURE_DIR = render(
    declared.dirs?.feature ?? DEFAULT_DIRS.feature,
    ['dirs', 'feature'],
    base,
  );
  base.PLANNING_DIR = render(
    declared.dirs?.planning ?? DEFAULT_DIRS.planning,
    ['dirs', 'planning'],
    base,
  );
  base.LOG_DIR = render(declared.dirs?.logs ?? DEFAULT_DIRS.logs, ['dirs', 'logs'], base);
  const dirs = { feature: base.FEATURE_DIR, planning: base.PLANNING_DIR, logs: base.LOG_DIR };
  const phases = workflow.phases.map((phase) => {
    const isolated = isolationOf(workflow, phase, settings) === 'worktree';
    // An isolated phase's logs and side files stay out of its worktree (and out of its commit).
    const logDir = isolated ? path.resolve(settings.cwd, base.LOG_DIR ?? '') : base.LOG_DIR;
    const variables = { ...base, LOG_DIR: logDir ?? '', PHASE_NAME: phase.id };
    return planPhase(workflow, phase, settings, variables, (text, where) =>
      render(text, ['phases', phase.index, ...where], variables),
    );
  });
  checkOutputsAndInputs(workflow, phases, settings.cwd, problems);
  checkJudgedNeeds(workflow, phases, problems);
  throwIfProblems(problems, workflow.file);
  const defaults = declared.defaults ?? {};
  return {
    workflow,
    feature: settings.feature,
    dirs,
    phases,
    waves: waves(phaseGraph(phases)),
    concurrency: settings.concurrency ?? defaults.concurrency ?? DEFAULTS.concurrency,
    killAfterSec: settings.killAfterSec ?? defaults.kill_after ?? DEFAULTS.killAfterSec,
    failFast: defaults.fail_fast ?? DEFAULTS.failFast,
    settings,
  };
}

function planPhase(
  workflow: LoadedWorkflow,
  phase: LoadedPhase,
  settings: RunSettings,
  variables: Record<string, string>,
  render: (text: string, where: (string | number)[]) => string,
): PlannedPhase {
  const declared = phase.declared;
  const defaults = workflow.declared.defaults ?? {};
  const agent = phase.agent !== 'command' && settings.agent !== null ? settings.agent : phase.agent;
  const adapter = ADAPTERS[agent];
  const rendered =
    phase.promptTemplate === null ? null : renderTemplate(phase.promptTemplate, variables).text;
  // An agent judge reads the candidates' patches (they are written when each candidate ends).
  const prompt =
    rendered === null || phase.judging === undefined
      ? rendered
      : `${rendered}\n\n${candidateList(phase.judging, path.resolve(settings.cwd, variables.LOG_DIR ?? ''))}`;
  const argv = declared.argv?.map((value, index) => render(value, ['argv', index])) ?? null;
  const logDir = variables.LOG_DIR ?? '';
  const isolation = isolationOf(workflow, phase, settings);
  const setup = { ...defaults.workspace, ...declared.workspace };
  const invocation = adapter.build({
    phaseId: phase.id,
    prompt,
    command: declared.command ?? null,
    argv,
    model: declared.model ?? defaults.model ?? null,
    profile: declared.profile ?? defaults.profile ?? settings.env.CODEX_PROFILE ?? 'codex-prp',
    sandbox: declared.sandbox ?? defaults.sandbox ?? null,
    permissionMode: declared.permission_mode ?? defaults.permission_mode ?? null,
    approvalMode: declared.approval_mode ?? defaults.approval_mode ?? null,
    allowedTools: declared.allowed_tools ?? defaults.allowed_tools ?? [],
    maxTurns: declared.max_turns ?? defaults.max_turns ?? null,
    logDir,
    ...(isolation === 'worktree' ? { isolated: true } : {}),
  });
  const hashed = prompt ?? JSON.stringify(invocation.argv ?? invocation.command);
  return {
    id: phase.id,
    agent,
    adapter,
    needs: phase.needs,
    timeoutSec: settings.timeoutSec ?? declared.timeout ?? defaults.timeout ?? DEFAULTS.timeoutSec,
    idleTimeoutSec:
      settings.idleTimeoutSec ??
      declared.idle_timeout ??
      defaults.idle_timeout ??
      DEFAULTS.idleTimeoutSec,
    prompt,
    promptFile: phase.promptFile,
    sha256: createHash('sha256').update(hashed).digest('hex'),
    invocation,
    outputs: (declared.outputs ?? []).map((value, index) => render(value, ['outputs', index])),
    inputs: (declared.inputs ?? []).map((value, index) => render(value, ['inputs', index])),
    runsOn: declared.runs_on ?? [],
    env: { ...variables, ...declared.env },
    minScore: declared.min_score === undefined ? null : (settings.minScore ?? declared.min_score),
    isolation,
    workspace: {
      copy: setup.copy ?? [],
      link: setup.link ?? [],
      setup: setup.setup ?? null,
      setupTimeoutSec: setup.setup_timeout ?? DEFAULTS.setupTimeoutSec,
    },
    after: phase.after ?? [],
    candidate: phase.candidate ?? null,
    judging:
      phase.judging === undefined
        ? null
        : {
            ...phase.judging,
            judge:
              'score' in phase.judging.judge
                ? { score: render(phase.judging.judge.score, ['judge', 'score']) }
                : phase.judging.judge,
          },
  };
}

function candidateList(judging: Judging, logDir: string): string {
  return [
    `There are ${judging.candidates.length} candidates. Each one's changes, as a patch:`,
    ...judging.candidates.map(
      (id, index) => `- candidate ${index + 1}: ${path.join(logDir, `${id}.patch`)}`,
    ),
    'Read every patch, choose the best candidate, and end your answer with a line "winner: K" (K its number) and your reasons.',
  ].join('\n');
}

function isolationOf(
  workflow: LoadedWorkflow,
  phase: LoadedPhase,
  settings: RunSettings,
): 'none' | 'worktree' {
  if (settings.isolate === true) return 'worktree';
  return phase.declared.isolation ?? workflow.declared.defaults?.isolation ?? 'none';
}

/** The phases as a graph: what each waits for, its needs and (a judge) its candidates. */
export function phaseGraph(phases: readonly PlannedPhase[]): { name: string; needs: string[] }[] {
  return phases.map((phase) => ({ name: phase.id, needs: [...phase.needs, ...phase.after] }));
}
