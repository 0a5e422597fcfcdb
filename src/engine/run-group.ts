// runGroup: validate, prepare the log directory, then run every job in its slot and record it.
import type { GroupEvent, GroupResult, JobResult, WorkspaceSummary } from '../model.js';
import { type GroupOptions, normalizeGroupOptions, type PlannedJob } from '../options/normalize.js';
import { directLauncher, forkServerLauncher } from '../process/launcher.js';
import type { SpawnFunction } from '../process/spawn.js';
import { JOB_MARKER, RUN_MARKER } from '../process/terminate/sweep.js';
import { computeSpeedup } from '../report/speedup.js';
import { runAttempts } from './attempts.js';
import { EscapeeSweeper } from './escapees.js';
import { prepareLogDir } from './prepare-dir.js';
import { skippedResult } from './run-job.js';
import { runInSlots } from './scheduler.js';
import { StartGate } from './start-gate.js';
import {
  finishedResult,
  openWorkspaces,
  placedJob,
  refusedResult,
  workspaceJob,
} from './workspaces.js';

/** Runs a group of jobs in parallel and resolves with every job's result; throws only UsageError. */
export async function runGroup(
  options: GroupOptions,
  spawnFunction?: SpawnFunction,
): Promise<GroupResult> {
  const plan = normalizeGroupOptions(options);
  plan.workspace?.check(plan.cwd);
  const prepared = prepareLogDir(plan);
  const { recorder } = prepared;
  const emit = (event: GroupEvent) => {
    recorder.record(event);
    plan.onEvent(event);
  };
  emit({
    type: 'run-start',
    runId: plan.runId,
    logDir: plan.logDir,
    jobs: plan.jobs.length,
    names: plan.jobs.map((job) => job.name),
    concurrency: plan.concurrency,
  });
  const results = new Map<string, JobResult>();
  // Also the run's watchdog: the fork server, or a shell process when there is none.
  const launcher =
    spawnFunction !== undefined || !plan.forkServer || plan.jobs.every((job) => job.input !== null)
      ? directLauncher(plan.runId, spawnFunction)
      : forkServerLauncher(plan.runId);
  const stagger = new StartGate(plan.staggerMs, plan.signal);
  const sweeper = new EscapeeSweeper(
    Math.round(plan.killAfterSec * 1000),
    plan.onWarning,
    plan.forceSignal,
  );
  let notStarted: PlannedJob[];
  let workspace: WorkspaceSummary | undefined;
  try {
    const hook = await openWorkspaces(plan, () => launcher);
    notStarted = await runInSlots(plan.jobs, plan.concurrency, plan.signal, {
      run: async (planned) => {
        const ready = hook === null ? null : await hook.prepare(workspaceJob(planned));
        if (ready?.ok === false) {
          const refused = refusedResult(planned, plan, ready);
          results.set(planned.name, refused);
          emit({ type: 'job-skip', result: refused });
          return refused.outcome === 'success';
        }
        const job = ready === null ? planned : placedJob(planned, ready);
        const marker = EscapeeSweeper.marker(plan.runId, job.name);
        await stagger.wait();
        const finish = async (ended: JobResult) =>
          hook === null ? ended : finishedResult(hook, job, ended);
        const result = await runAttempts(
          job,
          plan,
          emit,
          launcher,
          { [RUN_MARKER]: plan.runId, [JOB_MARKER]: marker },
          finish,
        );
        results.set(job.name, result);
        sweeper.jobEnded(job.name, marker);
        return result.outcome === 'success';
      },
      skip: (job, need) => {
        const result = skippedResult(job, plan, need);
        results.set(job.name, result);
        emit({ type: 'job-skip', result });
      },
    });
    await sweeper.drain();
    if (hook !== null)
      workspace = await hook.close(plan.jobs.flatMap((job) => results.get(job.name) ?? []));
  } finally {
    launcher.close();
    await prepared.close();
  }
  const ordered = plan.jobs.flatMap((job) => results.get(job.name) ?? []);
  const cancelledBy = plan.signal?.aborted === true ? signalOf(plan.signal.reason) : null;
  const result: GroupResult = {
    runId: plan.runId,
    feature: plan.feature,
    group: plan.group,
    logDir: plan.logDir,
    manifestPath: plan.manifestPath,
    results: ordered,
    notStarted: notStarted.map((job) => job.name),
    speedup: computeSpeedup(ordered.filter((job) => job.pid !== null)),
    ok: notStarted.length === 0 && ordered.every((job) => job.outcome === 'success'),
    cancelledBy,
    ...(workspace === undefined ? {} : { workspace }),
  };
  plan.onEvent({ type: 'run-end', result });
  return result;
}

function signalOf(reason: unknown): NodeJS.Signals | null {
  return typeof reason === 'string' && reason.startsWith('SIG') ? (reason as NodeJS.Signals) : null;
}
