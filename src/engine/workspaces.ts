// The engine's side of the workspace hook (src/workspace/): before a job starts it may get
// another directory or be refused (conflict, setup_failed); after its last attempt its result
// gets the hook's fields; the hook's setup commands run like jobs, in their own process group.
import type { JobResult } from '../model/result.js';
import type { WorkspaceHook, WorkspaceJob, WorkspaceReady } from '../model/workspace.js';
import { DEFAULTS } from '../options/defaults.js';
import type { GroupPlan, PlannedJob } from '../options/normalize.js';
import type { Launcher } from '../process/launcher.js';
import { runProcess } from '../process/run-process.js';
import { classify } from './classify.js';
import { skippedResult } from './run-job.js';

/** Opens the plan's workspaces; null when the run has none. */
export function openWorkspaces(
  plan: GroupPlan,
  launcher: () => Launcher,
  remote = false,
): Promise<WorkspaceHook> | null {
  if (plan.workspace === null) return null;
  return plan.workspace.open({
    remote,
    runId: plan.runId,
    logDir: plan.logDir,
    cwd: plan.cwd,
    jobs: Array.from({ length: plan.jobs.length }, (_, index) => workspaceJob(plan.jobs.at(index))),
    onWarning: plan.onWarning,
    run: async (command) => {
      const ran = await runProcess({
        argv: [DEFAULTS.shell, '-c', command.command],
        cwd: command.cwd,
        env: plan.env,
        input: null,
        logPath: command.logPath,
        timeoutMs:
          command.timeoutSec === 0 ? 0 : Math.max(1, Math.round(command.timeoutSec * 1000)),
        idleMs: 0,
        graceMs: Math.round(plan.killAfterSec * 1000),
        stopSignals: DEFAULTS.stopSignals,
        cancel: plan.signal,
        force: plan.forceSignal,
        onSpawn: () => {},
        onSignal: () => {},
        launcher: launcher(),
      });
      return classify(ran);
    },
  });
}

/** The job as the hook sees it. */
export function workspaceJob(job: PlannedJob): WorkspaceJob {
  return {
    name: job.name,
    needs: job.needs,
    logPath: job.logPath,
    ...(job.evaluate === null ? {} : { evaluated: true }),
  };
}

/** The job placed in its workspace: its directory, and the hook's fields on its lines. */
export function placedJob(job: PlannedJob, ready: WorkspaceReady & { ok: true }): PlannedJob {
  return {
    ...job,
    cwd: ready.cwd ?? job.cwd,
    manifestFields: { ...job.manifestFields, ...ready.details },
    ...(ready.travel === undefined ? {} : { workspace: ready.travel }),
  };
}

/** The result of a job its workspace refused: it never ran. */
export function refusedResult(
  job: PlannedJob,
  plan: GroupPlan,
  ready: WorkspaceReady & { ok: false },
): JobResult {
  const skipped = skippedResult(job, plan, '');
  return {
    ...skipped,
    outcome: ready.outcome,
    reason: ready.reason,
    details: { ...job.manifestFields, ...ready.details },
  };
}

/** Adds the hook's fields to a job's last result. */
export async function finishedResult(
  hook: WorkspaceHook,
  job: PlannedJob,
  result: JobResult,
): Promise<JobResult> {
  const { details, failure } = await hook.finish(workspaceJob(job), result);
  const fails = failure !== undefined && result.outcome === 'success';
  return {
    ...result,
    ...(fails ? { outcome: 'failed' as const, reason: failure } : {}),
    details: { ...result.details, ...details },
  };
}
