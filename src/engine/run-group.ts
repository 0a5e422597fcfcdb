// runGroup: validate, prepare the log directory, then run every job in its slot and record it.
// Supervision never waits on the record: a manifest write that fails or an onEvent callback
// that throws is told once as the run's error and stops the run the way SIGTERM would (every
// running job down its stop ladder, nothing more started); every result still comes back.
import { setMaxListeners } from 'node:events';
import { access } from 'node:fs/promises';

import type { GroupEvent, GroupResult, JobResult } from '../model.js';
import { type GroupOptions, normalizeGroupOptions, type PlannedJob } from '../options/normalize.js';
import { directLauncher, forkServerLauncher, type Launcher } from '../process/launcher.js';
import type { SpawnFunction } from '../process/spawn.js';
import { JOB_MARKER, RUN_MARKER } from '../process/terminate/sweep.js';
import { computeSpeedup } from '../report/speedup.js';
import { runAttempts } from './attempts.js';
import { EscapeeSweeper } from './escapees.js';
import { prepareLogDir } from './prepare-dir.js';
import { skippedResult } from './run-job.js';
import { runInSlots } from './scheduler.js';
import { StartGate } from './start-gate.js';

/** Runs a group of jobs in parallel and resolves with every job's result; throws only UsageError. */
export async function runGroup(
  options: GroupOptions,
  spawnFunction?: SpawnFunction,
): Promise<GroupResult> {
  const given = normalizeGroupOptions(options);
  const fault = new RunFault(given.onWarning, given.signal);
  const plan = { ...given, signal: fault.signal };
  const prepared = prepareLogDir(plan, (message) => fault.stop(message));
  const emit = (event: GroupEvent) => {
    prepared.recorder.record(event);
    try {
      plan.onEvent(event);
    } catch (error) {
      fault.stop(`the onEvent callback threw on a ${event.type} event (${String(error)})`);
    }
  };
  const results = new Map<string, JobResult>();
  let notStarted: PlannedJob[] = plan.jobs.slice();
  let launcher: Launcher | null = null;
  try {
    // libuv starts its thread pool (fdatasync, fs.promises) on first use, and aborts the
    // process if it cannot: start it now, while a process limit still leaves room for it.
    await access(plan.logDir).catch(() => {});
    emit({
      type: 'run-start',
      runId: plan.runId,
      logDir: plan.logDir,
      jobs: plan.jobs.length,
      names: plan.jobs.map((job) => job.name),
      concurrency: plan.concurrency,
    });
    // Also the run's watchdog: the fork server, or a shell process when there is none.
    const started =
      spawnFunction !== undefined ||
      !plan.forkServer ||
      plan.jobs.every((job) => job.input !== null)
        ? directLauncher(plan.runId, spawnFunction)
        : await forkServerLauncher(plan.runId, plan.onWarning);
    launcher = started;
    const stagger = new StartGate(plan.staggerMs, plan.signal);
    const sweeper = new EscapeeSweeper(
      Math.round(plan.killAfterSec * 1000),
      plan.onWarning,
      plan.forceSignal,
    );
    notStarted = await runInSlots(plan.jobs, plan.concurrency, plan.signal, {
      run: async (job) => {
        const marker = EscapeeSweeper.marker(plan.runId, job.name);
        await stagger.wait();
        const result = await runAttempts(job, plan, emit, started, {
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
    launcher?.close();
    await prepared.close();
  }
  const ordered = plan.jobs.flatMap((job) => results.get(job.name) ?? []);
  const cancelledBy = given.signal?.aborted === true ? signalOf(given.signal.reason) : null;
  const result: GroupResult = {
    runId: plan.runId,
    feature: plan.feature,
    group: plan.group,
    logDir: plan.logDir,
    manifestPath: plan.manifestPath,
    results: ordered,
    notStarted: notStarted.map((job) => job.name),
    speedup: computeSpeedup(ordered.filter((job) => job.pid !== null)),
    ok:
      fault.message === null &&
      notStarted.length === 0 &&
      ordered.every((job) => job.outcome === 'success'),
    cancelledBy,
    error: fault.message,
  };
  try {
    plan.onEvent({ type: 'run-end', result });
  } catch (error) {
    const message = `the onEvent callback threw on the run-end event (${String(error)})`;
    return { ...result, ok: false, error: result.error ?? message };
  }
  return result;
}

/** The run's own cancel signal: aborted by the caller's signal, or from inside by the first
 * failure (which then is the run's error). */
class RunFault {
  readonly #controller = new AbortController();
  message: string | null = null;

  constructor(
    private readonly warn: (message: string) => void,
    cancel: AbortSignal | null,
  ) {
    // One listener per running job, so no limit of 10 (and no MaxListenersExceededWarning).
    setMaxListeners(0, this.#controller.signal);
    if (cancel?.aborted === true) this.#controller.abort(cancel.reason);
    else
      cancel?.addEventListener('abort', () => this.#controller.abort(cancel.reason), {
        once: true,
      });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  stop(message: string): void {
    if (this.message !== null) return;
    this.message = message;
    this.warn(`[parex] error: ${message}: stopping every job`);
    this.#controller.abort(new Error(message));
  }
}

function signalOf(reason: unknown): NodeJS.Signals | null {
  return typeof reason === 'string' && reason.startsWith('SIG') ? (reason as NodeJS.Signals) : null;
}
