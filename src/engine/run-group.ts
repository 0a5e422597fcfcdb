// runGroup: validate, prepare the log directory, then run every job in its slot and record it.
// Supervision never waits on the record: a manifest write that fails or an onEvent callback
// that throws is told once as the run's error and stops the run the way SIGTERM would (every
// running job down its stop ladder, nothing more started); every result still comes back.
import { access } from 'node:fs/promises';

import type { GroupEvent } from '../model/events.js';
import type { GroupResult, JobResult } from '../model/result.js';
import type { WorkspaceSummary } from '../model/workspace.js';
import { type GroupOptions, normalizeGroupOptions } from '../options/normalize.js';
import { directLauncher, type Launcher } from '../process/launcher.js';
import type { SpawnFunction } from '../process/spawn.js';
import { JOB_MARKER, RUN_MARKER } from '../process/terminate/sweep.js';
import { SpanStore } from '../report/span-table.js';
import { computeSpeedup } from '../report/speedup.js';
import { OPEN_ADMISSION } from './admission.js';
import { runAttempts } from './attempts.js';
import { EscapeeSweeper } from './escapees.js';
import { failFast } from './fail-fast.js';
import { needsByName, signalOf, unstartedNames, why, widestWave } from './group-parts.js';
import { RunHalt } from './halt.js';
import { KeptResults } from './kept-results.js';
import { localExecutor } from './local-executor.js';
import { prepareLogDir } from './prepare-dir.js';
import { notRunResult, skippedResult } from './run-job.js';
import { runInSlots } from './scheduler.js';
import { shareSignals } from './shared-signals.js';
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
  const given = normalizeGroupOptions(options);
  given.workspace?.check(given.cwd);
  // parex's own copies of the caller's signals (one listener each on the caller's side), and
  // the caller's cancel joined with the engine's own stop: what every job and start watches.
  const shared = shareSignals(given.signal, given.forceSignal);
  const halt = new RunHalt(shared.signal);
  const plan = { ...given, signal: halt.signal, forceSignal: shared.forceSignal };
  const failing = failFast(halt, plan.failFast);
  // libuv starts its thread pool (fdatasync, fs.promises) on first use, and aborts the process
  // if it cannot: start it now, while a process limit still leaves room for it.
  await access(plan.logDir).catch(() => {});
  // A pool is reached before the first write, so that an unreachable one leaves nothing behind.
  let executor: Awaited<ReturnType<typeof localExecutor>>;
  let prepared: ReturnType<typeof prepareLogDir>;
  try {
    executor =
      options.executor === undefined
        ? await localExecutor(plan, spawnFunction)
        : await options.executor(plan);
    try {
      options.prepareDirs?.();
      prepared = prepareLogDir(plan, (message) => halt.fail(message, plan.onWarning));
    } catch (error) {
      await executor.close();
      throw error;
    }
  } catch (error) {
    shared.dispose();
    throw error;
  }
  const { recorder } = prepared;
  const admission = plan.admission ?? OPEN_ADMISSION;
  // Every attempt's span, for the figures: a retried job counts each of its attempts.
  const { jobs } = plan;
  const spans = new SpanStore(
    (job) => jobs.names.at(job),
    (job) => jobs.needs(job),
    jobs.length,
  );
  const emit = (event: GroupEvent, job?: number) => {
    const told = event.type === 'job-end' ? { ...event, result: why(event.result, halt) } : event;
    if (told.type === 'job-end' && told.result.pid !== null && job !== undefined) {
      spans.add(job, told.result);
    }
    recorder.record(told); // never throws: a failed write is told to halt.fail
    try {
      plan.onEvent(told);
    } catch (error) {
      const message = `the onEvent callback threw on a ${told.type} event (${String(error)})`;
      halt.fail(message, plan.onWarning);
    }
    admission.observe(told);
  };
  emit({
    type: 'run-start',
    runId: plan.runId,
    logDir: plan.logDir,
    jobs: jobs.length,
    names: jobs.names.toArray(),
    needs: needsByName(jobs),
    concurrency: plan.concurrency,
  });
  // The workspaces need every result, so a run with them keeps all.
  const kept = new KeptResults(plan.keepResults === 'all' || plan.workspace !== null);
  const keep = (index: number, result: JobResult) => kept.keep(index, result);
  const stagger = new StartGate(plan.staggerMs, plan.signal);
  const sameKey = new Map<string, StartGate>();
  const keyGate = (key: string) => {
    const gate = sameKey.get(key) ?? new StartGate(plan.staggerSameKeyMs, plan.signal);
    sameKey.set(key, gate);
    return gate;
  };
  // One stop per running job, for the admission to stop it alone (budget reached).
  const stops = new Map<string, AbortController>();
  let wake = () => {};
  admission.open({
    wake: () => wake(),
    stop: (name, reason) => stops.get(name)?.abort(reason),
    emit,
    warn: plan.onWarning,
    logDir: plan.logDir,
    runId: plan.runId,
  });
  // Jobs a pool never started because the run was cancelled while they waited in its queue.
  const neverStarted = new Set<string>();
  let notStarted: number[] = [];
  let workspace: WorkspaceSummary | undefined;
  // Runs the worktrees' setup commands (started only when one is needed).
  const setup: { launcher: Launcher | null } = { launcher: null };
  try {
    const hook = await openWorkspaces(
      plan,
      () => {
        setup.launcher ??= directLauncher(plan.runId);
        return setup.launcher;
      },
      executor.remote === true,
    );
    notStarted = await runInSlots(jobs, plan.concurrency, plan.signal, {
      run: async (planned, index) => {
        const ready = hook === null ? null : await hook.prepare(workspaceJob(planned));
        if (ready?.ok === false) {
          const refused = refusedResult(planned, plan, ready);
          keep(index, refused);
          emit({ type: 'job-skip', result: refused });
          failing.jobEnded(refused);
          return refused.outcome === 'success';
        }
        const job = ready === null ? planned : placedJob(planned, ready);
        const marker = EscapeeSweeper.marker(plan.runId, job.name);
        const stop = new AbortController();
        stops.set(job.name, stop);
        await stagger.wait();
        if (job.startKey !== null) await keyGate(job.startKey).wait();
        const markers = { [RUN_MARKER]: plan.runId, [JOB_MARKER]: marker };
        const settle = async (ended: JobResult) => {
          // Before the completion line: processes that escaped the group are stopped and counted.
          const { pid, startedAt } = ended;
          const started = pid === null ? null : { pid, startedAt: startedAt.getTime() };
          const swept = await executor.jobEnded(job.name, marker, started);
          if (swept.count === 0) return ended;
          return {
            ...ended,
            reapedLeftovers: true,
            leftoversStopped: swept.count,
            leftoverSignals: swept.signals,
          };
        };
        const finish = async (ended: JobResult) =>
          hook === null ? ended : finishedResult(hook, job, ended);
        const told = (event: GroupEvent) => emit(event, index);
        const attempted = await runAttempts(job, plan, told, executor, markers, {
          settle,
          finish,
          admission,
          stop: stop.signal,
        });
        stops.delete(job.name);
        if (attempted === null) {
          neverStarted.add(job.name);
          return false;
        }
        admission.ended(job, attempted);
        const result = why(attempted, halt);
        keep(index, result);
        failing.jobEnded(result);
        return result.outcome === 'success';
      },
      skip: (job, need, index) => {
        const result = skippedResult(job, plan, need);
        keep(index, result);
        emit({ type: 'job-skip', result });
      },
      admit: (job) => {
        const verdict = admission.admit(job);
        return verdict.kind === 'refuse' ? { refuse: verdict.reason } : verdict.kind;
      },
      refuse: (job, reason, index) => {
        const result = notRunResult(job, plan, 'budget', reason);
        keep(index, result);
        emit({ type: 'job-skip', result });
      },
      wakeWith: (pump) => {
        wake = pump;
      },
    });
    if (hook !== null) {
      workspace = await hook.close(kept.inOrder());
    }
  } finally {
    admission.close();
    try {
      setup.launcher?.close();
      await executor.close();
    } finally {
      shared.dispose();
      await prepared.close();
    }
  }
  const unstarted = unstartedNames(jobs, notStarted, neverStarted);
  const ordered = kept.inOrder();
  const cancelledBy = given.signal?.aborted === true ? signalOf(given.signal.reason) : null;
  const result: GroupResult = {
    runId: plan.runId,
    feature: plan.feature,
    group: plan.group,
    logDir: plan.logDir,
    manifestPath: plan.manifestPath,
    results: ordered,
    omitted: kept.omitted,
    notStarted: unstarted,
    speedup: computeSpeedup(spans, plan.concurrency, widestWave(jobs)),
    ok:
      halt.error === null &&
      unstarted.length === 0 &&
      ordered.every((job) => job.outcome === 'success'),
    cancelledBy,
    haltedBy: cancelledBy === null ? halt.cause : null,
    error: halt.error,
    spend: admission.report(),
    ...(workspace === undefined ? {} : { workspace }),
  };
  try {
    plan.onEvent({ type: 'run-end', result });
  } catch (error) {
    const message = `the onEvent callback threw on the run-end event (${String(error)})`;
    return { ...result, ok: false, error: result.error ?? message };
  }
  return result;
}
