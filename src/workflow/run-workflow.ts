// Running a planned workflow: check the agents, reuse what --resume allows, then one group run
// in which every phase starts as soon as the phases it needs have succeeded.
import path from 'node:path';

import { hasOwnHome, seedAgentHome } from '../agents/home.js';
import { type AgentBinary, preflightAgents } from '../agents/preflight.js';
import { agentWatcher } from '../agents/watch.js';
import { SpendControl } from '../budget/control.js';
import { runGroup } from '../engine/run-group.js';
import { UsageError } from '../errors.js';
import { DirectoryError, makeDirectories } from '../files/make-dirs.js';
import type { GroupResult, JobSpec, OutputWatcher } from '../model.js';
import { DEFAULTS } from '../options/defaults.js';
import type { GroupOptions } from '../options/normalize.js';
import { checkModes } from './check-modes.js';
import { judgePhase } from './judge.js';
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
  const shared = plan.phases.some(
    (phase) => phase.agentHome === 'shared' && phase.adapter.binary !== null,
  );
  return shared ? DEFAULTS.staggerSameAgentSec : 0;
}

/** Runs the plan; throws only UsageError (missing agent, unknown mode), before anything is spawned. */
export async function runWorkflow(
  plan: WorkflowPlan,
  options: WorkflowRunOptions,
): Promise<WorkflowResult> {
  const { settings } = plan;
  const binaries = await preflightAgents(
    [...new Set(plan.phases.map((phase) => phase.adapter))],
    settings.env,
  );
  checkModes(plan, binaries);
  const manifestPath = path.resolve(settings.cwd, plan.dirs.logs, DEFAULTS.manifestName);
  const reusedMap = options.resume
    ? findReusable(manifestPath, plan.phases, settings.cwd)
    : new Map();
  const reused = [...reusedMap.values()];
  options.onReuse?.(reused);
  const toRun = plan.phases.filter((phase) => !reusedMap.has(phase.id));
  if (toRun.length === 0) return { group: null, reused, ok: true };
  const stale = options.resume ? leftoverWorktrees(manifestPath) : [];
  const workspace = phaseWorkspaces(plan, reused, options.worktreesDir, stale);
  workspace?.check(settings.cwd);
  for (const dir of [plan.dirs.feature, plan.dirs.planning]) makeWorkflowDir(settings.cwd, dir);
  // Only the group options: the caller's object may hold more (hooks of its own).
  const passedOn = Object.fromEntries(
    PASSED_ON.flatMap((key) => (options[key] === undefined ? [] : [[key, options[key]]])),
  ) as Pick<GroupOptions, PassedOn>;
  const spending = options.spending ?? new SpendControl(plan.budget);
  const group = await runGroup({
    ...passedOn,
    admission: spending,
    workspace,
    jobs: toRun.map((phase) => phaseJob(plan, phase, binaries, reusedMap, spending)),
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

function phaseJob(
  plan: WorkflowPlan,
  planned: PlannedPhase,
  binaries: ReadonlyMap<string, AgentBinary>,
  reused: ReadonlyMap<string, ReusedPhase>,
  spending: SpendControl,
): JobSpec {
  const { adapter } = planned;
  const binary = adapter.binary === null ? undefined : binaries.get(adapter.binary);
  // Built again for the installed CLI: its flags decide, e.g. gemini's --skip-trust.
  const invocation = adapter.build(planned.request, binary?.capabilities ?? null);
  const phase: PlannedPhase = { ...planned, invocation };
  const target = invocation.argv ?? null;
  const logDir = path.resolve(plan.settings.cwd, plan.dirs.logs);
  const home =
    phase.agentHome === 'per-job' && hasOwnHome(phase.agent)
      ? seedAgentHome(
          phase.agent,
          path.join(logDir, `${phase.id}.${phase.agent}-home`),
          plan.settings.env,
        )
      : {};
  return {
    name: phase.id,
    ...(target === null ? { command: invocation.command ?? '' } : { argv: target }),
    ...(invocation.input === null ? {} : { input: invocation.input }),
    env: { ...phase.env, ...invocation.env, ...home },
    timeoutSec: phase.timeoutSec,
    idleTimeoutSec: phase.idleTimeoutSec,
    stopSignals: invocation.stopSignals,
    needs: phase.needs.filter((need) => !reused.has(need)),
    after: phase.after.filter((name) => !reused.has(name)),
    inputs: phase.inputs,
    // What travels back from a pool's worker: the declared outputs and the agent's side files.
    outputs:
      invocation.lastMessageFile === null
        ? phase.outputs
        : [...phase.outputs, invocation.lastMessageFile],
    runsOn: phase.runsOn,
    attempt: plan.settings.attempt,
    ...(adapter.binary === null
      ? {}
      : {
          watch: () => watchingRateLimits(phase.id, agentWatcher(adapter), spending),
          startKey: adapter.binary,
          agent: phase.agent,
          spending: {
            model: phase.request.model,
            phase: phase.id,
            phaseJobs: 1,
            expectCostUsd: phase.expectCostUsd,
          },
        }),
    manifestFields: {
      agent: phase.agent,
      agent_version: binary?.version ?? null,
      agent_path: binary?.path ?? null,
      prompt_file: phase.promptFile,
      prompt_sha256: phase.sha256,
      shape: phase.shape,
      prompt_bytes: phase.prompt === null ? null : Buffer.byteLength(phase.prompt),
      argv: target,
      needs: phase.needs,
      outputs_declared: phase.outputs,
      ...(Object.keys(home).length === 0 ? {} : { agent_home: Object.values(home)[0] }),
    },
    // An isolated phase's outputs are in its worktree.
    evaluate: (result) =>
      judgePhase(
        phase,
        result,
        typeof result.details.workdir === 'string' ? result.details.workdir : plan.settings.cwd,
      ),
  };
}

/** The agent's watcher, with each line also shown to the budgets (a rate limit pauses its provider). */
function watchingRateLimits(
  name: string,
  watcher: OutputWatcher,
  spending: SpendControl,
): OutputWatcher {
  return {
    line: (text) => {
      spending.watchLine(name, text);
      return watcher.line(text);
    },
  };
}
