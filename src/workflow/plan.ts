// Planning a workflow run for one feature: variables, directories, and for every phase its
// rendered prompt, its invocation, its outputs and inputs. Still nothing is written.
import { createHash } from 'node:crypto';
import path from 'node:path';

import { ADAPTERS } from '../agents/registry.js';
import type { AgentRequest } from '../agents/types.js';
import { budgetSettings } from '../budget/settings.js';
import { waves } from '../graph/topology.js';
import { DEFAULTS } from '../options/defaults.js';
import type { Judging } from './candidates.js';
import { checkJudgedNeeds, checkOutputsAndInputs } from './check-files.js';
import type { LoadedPhase, LoadedWorkflow } from './load.js';
import { phaseShape } from './phase-shape.js';
import type { PlannedPhase, RunSettings, WorkflowPlan } from './plan-types.js';
import { type Problem, throwIfProblems } from './problems.js';
import { renderTemplate } from './template.js';
import { DEFAULT_DIRS } from './variables.js';

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
    staggerSameAgentSec: defaults.stagger_same_agent ?? null,
    failFast: defaults.fail_fast ?? DEFAULTS.failFast,
    settings,
    budget: budgetSettings(
      { ...declared, phases: workflow.phases.map((phase) => phase.declared) },
      settings.budget ?? {},
    ),
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
  const request: AgentRequest = {
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
    trust: declared.trust ?? defaults.trust ?? true,
    logDir,
    ...(isolation === 'worktree' ? { isolated: true } : {}),
  };
  const invocation = adapter.build(request, null);
  const {
    phaseId: _id,
    prompt: _prompt,
    command,
    argv: _argv,
    model,
    logDir: _logDir,
    ...options
  } = request;
  const shape = phaseShape({
    prompt,
    command: prompt === null ? (argv ?? command) : null,
    texts: [
      phase.promptTemplate ?? '',
      command ?? '',
      ...(declared.argv ?? []),
      ...(declared.outputs ?? []),
      ...(declared.inputs ?? []),
    ],
    variables,
    env: declared.env ?? {},
    agent,
    model,
    options: agent === 'command' ? {} : options,
  });
  const modePaths = Object.fromEntries(
    (['sandbox', 'permission_mode', 'approval_mode'] as const).map((key) => [
      key,
      declared[key] !== undefined ? ['phases', phase.index, key] : ['defaults', key],
    ]),
  );
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
    shape,
    request,
    invocation,
    modePaths,
    agentHome: declared.agent_home ?? defaults.agent_home ?? 'shared',
    outputs: (declared.outputs ?? []).map((value, index) => render(value, ['outputs', index])),
    inputs: (declared.inputs ?? []).map((value, index) => render(value, ['inputs', index])),
    runsOn: declared.runs_on ?? [],
    env: { ...variables, ...declared.env },
    minScore: declared.min_score === undefined ? null : (settings.minScore ?? declared.min_score),
    expectCostUsd: declared.expect_cost ?? null,
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
