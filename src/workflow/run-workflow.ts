// Running a planned workflow: check the agents, reuse what --resume allows, then one group run
// in which every phase starts as soon as the phases it needs have succeeded.
import path from 'node:path';

import { preflightAgents } from '../agents/preflight.js';
import { ADAPTERS } from '../agents/registry.js';
import { SpendControl } from '../budget/control.js';
import { runGroup } from '../engine/run-group.js';
import { UsageError } from '../errors.js';
import { DirectoryError, makeDirectories } from '../files/make-dirs.js';
import type { GroupResult } from '../model/result.js';
import { DEFAULTS } from '../options/defaults.js';
import type { GroupOptions } from '../options/normalize.js';
import { checkModes } from './check-modes.js';
import { pickPhases } from './loaded-phases.js';
import { budgetPhaseOf, phaseJob } from './phase-job.js';
import { phaseAgent } from './plan-phase.js';
import type { PlannedPhase, WorkflowPlan } from './plan-types.js';
import { findReusable, leftoverWorktrees, type ReusedPhase } from './resume.js';
import { phaseWorkspaces } from './workspaces.js';

/** The group options a workflow run passes on to the engine as they are. */
const PASSED_ON = [
  'retries',
  'retryDelaySec',
  'staggerMs',
  'signal',
  'forceSignal',
  'onEvent',
  'onWarning',
  'force',
  'unsetEnv',
  'secretPatterns',
  'failFast',
  'executor',
] as const satisfies readonly (keyof GroupOptions)[];
type PassedOn = (typeof PASSED_ON)[number];

/** How to run a planned workflow. */
export interface WorkflowRunOptions extends Pick<GroupOptions, PassedOn> {
  readonly resume: boolean;
  /** The budgets of several runs together (the PRP quality gate); else the plan's, for this run. */
  readonly spending?: SpendControl;
  /** Where isolated phases' worktrees go (--worktrees-dir). */
  readonly worktreesDir?: string | undefined;
  /** Told which phases are reused, before anything runs. */
  readonly onReuse?: (reused: readonly ReusedPhase[]) => void;
}

/** A workflow run: the group's result, and the phases reused from earlier runs. */
export interface WorkflowResult {
  readonly group: GroupResult | null;
  readonly reused: readonly ReusedPhase[];
  readonly ok: boolean;
}

/** Seconds between two starts of one agent CLI: the workflow's, else the default, which a
 * workflow whose agents all have homes of their own does not need. */
function staggerSameAgentSec(plan: WorkflowPlan): number {
  if (plan.staggerSameAgentSec !== null) return plan.staggerSameAgentSec;
  const defaults = plan.workflow.declared.defaults ?? {};
  for (const phase of plan.workflow.phases) {
    if (
      (phase.declared.agent_home ?? defaults.agent_home ?? 'shared') === 'shared' &&
      ADAPTERS[phaseAgent(phase, plan.settings)].binary !== null
    )
      return DEFAULTS.staggerSameAgentSec;
  }
  return 0;
}

/** Runs the plan; throws only UsageError (missing agent, unknown mode), before anything is spawned. */
export async function runWorkflow(
  plan: WorkflowPlan,
  options: WorkflowRunOptions,
): Promise<WorkflowResult> {
  const { settings } = plan;
  const binaries = await preflightAgents(
    [
      ...new Set(
        pickPhases(plan.workflow.phases, (phase) => ADAPTERS[phaseAgent(phase, settings)]),
      ),
    ],
    settings.env,
  );
  checkModes(plan, binaries);
  const manifestPath = path.resolve(settings.cwd, plan.dirs.logs, DEFAULTS.manifestName);
  const reusedMap = options.resume
    ? findReusable(manifestPath, plan.phases, settings.cwd)
    : new Map();
  const reused = [...reusedMap.values()];
  options.onReuse?.(reused);
  // Positions only: each phase's job is built when the engine asks for it (at its start).
  const toRun = plan.phases.ids.flatMap((id, index) => (reusedMap.has(id) ? [] : [index]));
  if (toRun.length === 0) return { group: null, reused, ok: true };
  const stale = options.resume ? leftoverWorktrees(manifestPath) : [];
  const workspace = phaseWorkspaces(plan, reused, options.worktreesDir, stale);
  workspace?.check(settings.cwd);
  // Only the group options: the caller's object may hold more (hooks of its own).
  const passedOn = Object.fromEntries(
    PASSED_ON.flatMap((key) => (options[key] === undefined ? [] : [[key, options[key]]])),
  ) as Pick<GroupOptions, PassedOn>;
  const spending = options.spending ?? new SpendControl(plan.budget);
  const phaseJobs = agentJobsPerPhase(plan);
  const jobOf = (position: number) =>
    phaseJob(
      plan,
      plan.phases.at(position) as PlannedPhase,
      binaries,
      reusedMap,
      spending,
      phaseJobs,
    );
  const group = await runGroup({
    ...passedOn,
    admission: spending,
    workspace,
    // Made once a pool has answered: a run refused by the pool leaves nothing behind.
    prepareDirs: () => {
      for (const dir of [plan.dirs.feature, plan.dirs.planning]) makeWorkflowDir(settings.cwd, dir);
    },
    jobs: {
      length: toRun.length,
      at: (index) => {
        const position = toRun[index];
        return position === undefined ? undefined : jobOf(position);
      },
    },
    concurrency: plan.concurrency,
    staggerSameKeyMs: Math.round(1000 * staggerSameAgentSec(plan)),
    killAfterSec: plan.killAfterSec,
    failFast: passedOn.failFast ?? plan.failFast,
    logDir: path.resolve(settings.cwd, plan.dirs.logs),
    feature: plan.feature,
    group: plan.workflow.name,
    cwd: settings.cwd,
    env: settings.env,
  });
  return { group, reused, ok: group.ok };
}

function makeWorkflowDir(cwd: string, dir: string): void {
  try {
    makeDirectories(path.resolve(cwd, dir));
  } catch (error) {
    if (!(error instanceof DirectoryError)) throw error;
    throw new UsageError(
      `cannot make the workflow directory ${dir}: ${error.message}`,
      "the phases write their outputs under the workflow's feature and planning directories",
      'change dirs: in the workflow (or the variables it uses) to a writable place',
    );
  }
}

/** How many agent jobs each phase runs: its candidates and an agent judge, else 1. */
function agentJobsPerPhase(plan: WorkflowPlan): Map<string, number> {
  const counts = new Map<string, number>();
  for (const phase of plan.workflow.phases) {
    if (ADAPTERS[phaseAgent(phase, plan.settings)].binary === null) continue;
    const id = budgetPhaseOf(phase);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
