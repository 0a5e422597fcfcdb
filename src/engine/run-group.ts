// runGroup: validate, prepare the log directory, then run every job in its slot and record it.
import { waves } from '../graph/topology.js';
import type {
  GroupEvent,
  GroupHalt,
  GroupResult,
  JobResult,
  JobSpan,
  WorkspaceSummary,
} from '../model.js';
import { type GroupOptions, normalizeGroupOptions, type PlannedJob } from '../options/normalize.js';
import { directLauncher, type Launcher } from '../process/launcher.js';
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
  // The caller's cancel joined with the engine's own stop: what every job and start watches.
  const halt = new RunHalt(given.signal);
  const plan = { ...given, signal: halt.signal };
  const failing = failFast(halt, plan.failFast);
  // A pool is reached before the first write, so that an unreachable one leaves nothing behind.
  const executor =
    options.executor === undefined
      ? localExecutor(plan, spawnFunction)
      : await options.executor(plan);
  let prepared: ReturnType<typeof prepareLogDir>;
  try {
    prepared = prepareLogDir(plan);
  } catch (error) {
    await executor.close();
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
  let notStarted: PlannedJob[];
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
    notStarted = await runInSlots(plan.jobs, plan.concurrency, plan.signal, {
      run: async (planned) => {
        const ready = hook === null ? null : await hook.prepare(workspaceJob(planned));
        if (ready?.ok === false) {
          const refused = refusedResult(planned, plan, ready);
          results.set(planned.name, refused);
          emit({ type: 'job-skip', result: refused });
          failing.jobEnded(refused);
          return refused.outcome === 'success';
        }
        const job = ready === null ? planned : placedJob(planned, ready);
        const marker = EscapeeSweeper.marker(plan.runId, job.name);
        await stagger.wait();
        const finish = async (ended: JobResult) =>
          hook === null ? ended : finishedResult(hook, job, ended);
        const attempted = await runAttempts(
          job,
          plan,
          emit,
          executor,
          { [RUN_MARKER]: plan.runId, [JOB_MARKER]: marker },
          finish,
        );
        executor.jobEnded(job.name, marker);
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
    if (hook !== null) {
      workspace = await hook.close(plan.jobs.flatMap((job) => results.get(job.name) ?? []));
    }
  } finally {
    try {
      setup.launcher?.close();
      await executor.close();
    } finally {
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
    ...(workspace === undefined ? {} : { workspace }),
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
