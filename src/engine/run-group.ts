// runGroup: validate, prepare the log directory, then run every job in its slot and record it.
import { waves } from '../graph/topology.js';
import type { GroupEvent, GroupHalt, GroupResult, JobResult, JobSpan } from '../model.js';
import { type GroupOptions, normalizeGroupOptions, type PlannedJob } from '../options/normalize.js';
import type { SpawnFunction } from '../process/spawn.js';
import { JOB_MARKER, RUN_MARKER } from '../process/terminate/sweep.js';
import { computeSpeedup } from '../report/speedup.js';
import { runAttempts } from './attempts.js';
import { EscapeeSweeper } from './escapees.js';
import { failFast } from './fail-fast.js';
import { RunHalt } from './halt.js';
import { localExecutor } from './local-executor.js';
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
  const given = normalizeGroupOptions(options);
  // parex's own copies of the caller's signals (one listener each on the caller's side), and
  // the caller's cancel joined with the engine's own stop: what every job and start watches.
  const shared = shareSignals(given.signal, given.forceSignal);
  const halt = new RunHalt(shared.signal);
  const plan = { ...given, signal: halt.signal, forceSignal: shared.forceSignal };
  const failing = failFast(halt, plan.failFast);
  // A pool is reached before the first write, so that an unreachable one leaves nothing behind.
  let executor: Awaited<ReturnType<typeof localExecutor>>;
  let prepared: ReturnType<typeof prepareLogDir>;
  try {
    executor =
      options.executor === undefined
        ? localExecutor(plan, spawnFunction)
        : await options.executor(plan);
    try {
      prepared = prepareLogDir(plan);
    } catch (error) {
      await executor.close();
      throw error;
    }
  } catch (error) {
    shared.dispose();
    throw error;
  }
  const { recorder } = prepared;
  // Every attempt's span, for the figures: a retried job counts each of its attempts.
  const spans: JobSpan[] = [];
  const needsOf = new Map(plan.jobs.map((job) => [job.name, job.needs]));
  const emit = (event: GroupEvent) => {
    const told = event.type === 'job-end' ? { ...event, result: why(event.result, halt) } : event;
    if (told.type === 'job-end' && told.result.pid !== null) {
      spans.push(spanOf(told.result, needsOf.get(told.result.name) ?? []));
    }
    recorder.record(told);
    plan.onEvent(told);
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
  const stagger = new StartGate(plan.staggerMs, plan.signal);
  // Jobs a pool never started because the run was cancelled while they waited in its queue.
  const neverStarted = new Set<string>();
  const sameKey = new Map<string, StartGate>();
  const keyGate = (key: string) => {
    const gate = sameKey.get(key) ?? new StartGate(plan.staggerSameKeyMs, plan.signal);
    sameKey.set(key, gate);
    return gate;
  };
  let notStarted: PlannedJob[];
  try {
    notStarted = await runInSlots(plan.jobs, plan.concurrency, plan.signal, {
      run: async (job) => {
        const marker = EscapeeSweeper.marker(plan.runId, job.name);
        await stagger.wait();
        if (job.startKey !== null) await keyGate(job.startKey).wait();
        const markers = { [RUN_MARKER]: plan.runId, [JOB_MARKER]: marker };
        const attempted = await runAttempts(job, plan, emit, executor, markers, async (ended) => {
          // Before the completion line: processes that escaped the group are stopped and counted.
          const swept = await executor.jobEnded(job.name, marker);
          if (swept.count === 0) return ended;
          return {
            ...ended,
            reapedLeftovers: true,
            leftoversStopped: swept.count,
            leftoverSignals: swept.signals,
          };
        });
        if (attempted === null) {
          neverStarted.add(job.name);
          return false;
        }
        const result = why(attempted, halt);
        results.set(job.name, result);
        failing.jobEnded(result);
        return result.outcome === 'success';
      },
      skip: (job, need) => {
        const result = skippedResult(job, plan, need);
        results.set(job.name, result);
        emit({ type: 'job-skip', result });
      },
    });
  } finally {
    try {
      await executor.close();
    } finally {
      shared.dispose();
      await prepared.close();
    }
  }
  notStarted.push(...plan.jobs.filter((job) => neverStarted.has(job.name)));
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
    speedup: computeSpeedup(spans, plan.concurrency, widestWave(plan.jobs)),
    ok: notStarted.length === 0 && ordered.every((job) => job.outcome === 'success'),
    cancelledBy,
    haltedBy: cancelledBy === null ? halt.cause : null,
  };
  plan.onEvent({ type: 'run-end', result });
  return result;
}

function spanOf(result: JobResult, needs: readonly string[]): JobSpan {
  const { name, startedAt, endedAt, durationMs, attempt } = result;
  return { name, startedAt, endedAt, durationMs, attempt, needs };
}

/** The most jobs the needs let run at once (null without needs: all of them). */
function widestWave(jobs: readonly PlannedJob[]): number | null {
  if (jobs.every((job) => job.needs.length === 0)) return null;
  return Math.max(...waves(jobs).map((wave) => wave.length));
}

/** A job the engine's own halt stopped says so in its reason. */
function why(result: JobResult, halt: RunHalt): JobResult {
  const cause = halt.cause;
  if (cause === null || result.outcome !== 'cancelled' || result.reason !== null) return result;
  return { ...result, reason: haltWords(cause) };
}

/** Why the run was halted, in words. */
export function haltWords(cause: GroupHalt): string {
  return `stopped by --fail-fast: ${cause.job} did not succeed (${cause.outcome})`;
}

function signalOf(reason: unknown): NodeJS.Signals | null {
  return typeof reason === 'string' && reason.startsWith('SIG') ? (reason as NodeJS.Signals) : null;
}
