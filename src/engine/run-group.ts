// runGroup: validate, prepare the log directory, then run every job in its slot and record it.
import type { GroupEvent, GroupResult, JobResult } from '../model.js';
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
import { shareSignals } from './shared-signals.js';
import { StartGate } from './start-gate.js';

/** Runs a group of jobs in parallel and resolves with every job's result; throws only UsageError. */
export async function runGroup(
  options: GroupOptions,
  spawnFunction?: SpawnFunction,
): Promise<GroupResult> {
  const validated = normalizeGroupOptions(options);
  const prepared = prepareLogDir(validated);
  const shared = shareSignals(validated.signal, validated.forceSignal);
  const plan = { ...validated, signal: shared.signal, forceSignal: shared.forceSignal };
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
  try {
    notStarted = await runInSlots(plan.jobs, plan.concurrency, plan.signal, {
      run: async (job) => {
        const marker = EscapeeSweeper.marker(plan.runId, job.name);
        await stagger.wait();
        const result = await runAttempts(job, plan, emit, launcher, {
          [RUN_MARKER]: plan.runId,
          [JOB_MARKER]: marker,
        });
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
  } finally {
    launcher.close();
    shared.dispose();
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
  };
  plan.onEvent({ type: 'run-end', result });
  return result;
}

function signalOf(reason: unknown): NodeJS.Signals | null {
  return typeof reason === 'string' && reason.startsWith('SIG') ? (reason as NodeJS.Signals) : null;
}
