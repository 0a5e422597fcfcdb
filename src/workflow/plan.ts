// Planning a workflow run for one feature: variables, directories, and for every phase its
// rendered prompt, its invocation, its outputs and inputs. Still nothing is written.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { ADAPTERS } from '../agents/registry.js';
import type { AgentAdapter, AgentInvocation, AgentName } from '../agents/types.js';
import { ancestors, waves } from '../graph/topology.js';
import { DEFAULTS } from '../options/defaults.js';
import type { WorkspaceSetup } from '../workspace/setup.js';
import type { LoadedPhase, LoadedWorkflow } from './load.js';
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
  readonly env: Readonly<Record<string, string>>;
  /** The least "Score: N/10" the first output must show; null for no score check. */
  readonly minScore: number | null;
  /** Whether the phase runs in its own git worktree. */
  readonly isolation: 'none' | 'worktree';
  /** What its worktree gets before it starts. */
  readonly workspace: WorkspaceSetup;
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
  throwIfProblems(problems, workflow.file);
  const defaults = declared.defaults ?? {};
  return {
    workflow,
    feature: settings.feature,
    dirs,
    phases,
    waves: waves(phases.map((phase) => ({ name: phase.id, needs: phase.needs }))),
    concurrency: settings.concurrency ?? defaults.concurrency ?? DEFAULTS.concurrency,
    killAfterSec: settings.killAfterSec ?? defaults.kill_after ?? DEFAULTS.killAfterSec,
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
  const prompt =
    phase.promptTemplate === null ? null : renderTemplate(phase.promptTemplate, variables).text;
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
    env: { ...variables, ...declared.env },
    minScore: declared.min_score === undefined ? null : (settings.minScore ?? declared.min_score),
    isolation,
    workspace: {
      copy: setup.copy ?? [],
      link: setup.link ?? [],
      setup: setup.setup ?? null,
      setupTimeoutSec: setup.setup_timeout ?? DEFAULTS.setupTimeoutSec,
    },
  };
}

function isolationOf(
  workflow: LoadedWorkflow,
  phase: LoadedPhase,
  settings: RunSettings,
): 'none' | 'worktree' {
  if (settings.isolate === true) return 'worktree';
  return phase.declared.isolation ?? workflow.declared.defaults?.isolation ?? 'none';
}

function checkOutputsAndInputs(
  workflow: LoadedWorkflow,
  phases: readonly PlannedPhase[],
  cwd: string,
  problems: Problem[],
): void {
  const producer = new Map<string, PlannedPhase>();
  const indexOf = (phase: PlannedPhase) => phases.indexOf(phase);
  for (const phase of phases) {
    phase.outputs.forEach((output, position) => {
      const key = path.resolve(cwd, output);
      const other = producer.get(key);
      if (other !== undefined) {
        problems.push(
          workflow.source.at(
            ['phases', indexOf(phase), 'outputs', position],
            `output ${output} is also an output of phase ${other.id}: two phases would write one file`,
          ),
        );
      }
      producer.set(key, phase);
    });
  }
  const graph = phases.map((phase) => ({ name: phase.id, needs: phase.needs }));
  for (const phase of phases) {
    const before = ancestors(graph, phase.id);
    phase.inputs.forEach((input, position) => {
      const from = producer.get(path.resolve(cwd, input));
      const where = ['phases', indexOf(phase), 'inputs', position];
      if (from === undefined) {
        if (input === '')
          problems.push(
            workflow.source.at(
              where,
              'input is empty (a variable such as ${INITIAL_MD_PATH} is not set: pass --initial FILE)',
            ),
          );
        else if (!existsSync(path.resolve(cwd, input))) {
          problems.push(
            workflow.source.at(where, `input ${input} does not exist, and no phase produces it`),
          );
        }
        return;
      }
      if (from === phase || before.has(from.id)) return;
      problems.push(
        workflow.source.at(
          ['phases', indexOf(phase), 'inputs', position],
          `input ${input} is an output of phase ${from.id}, which ${phase.id} does not need: they may run at the same time (add ${from.id} to needs, or drop the input)`,
        ),
      );
    });
  }
}
