// A job's attempts: the first, then a retry for each transient failure, each attempt with its
// own log file and its own manifest lines.
import type { GroupEvent } from '../model/events.js';
import type { JobResult } from '../model/result.js';
import { resolveInside } from '../names/inside-root.js';
import type { GroupPlan, PlannedJob } from '../options/normalize.js';
import { OPEN_ADMISSION, type StartAdmission } from './admission.js';
import type { JobExecutor } from './executor.js';
import { sleepLong } from './long-sleep.js';
import { backoffMs, transientCause } from './retry.js';
import { runJob } from './run-job.js';

/** The log of a job's attempt: NAME.log for the first, NAME.attemptN.log for retry N. */
export function attemptLogPath(job: PlannedJob, plan: GroupPlan, retry: number): string {
  return retry === 0
    ? job.logPath
    : resolveInside(plan.logDir, `${job.name}.attempt${job.attempt + retry}.log`);
}

/** What the engine adds around a job's attempts. */
export interface AttemptHooks {
  /** Applied to every attempt's result before it is judged (the escapee sweep). */
  readonly settle?: (result: JobResult) => Promise<JobResult>;
  /** Applied to the last attempt's result only (the workspace's commit and fields). */
  readonly finish?: (result: JobResult) => Promise<JobResult>;
  /** Asked for retry waits and told each attempt's result (budgets, rate limits). */
  readonly admission?: StartAdmission;
  /** Stops this job alone (a budget reached). */
  readonly stop?: AbortSignal;
}

/** Runs a job and its retries; resolves with the last attempt's result, or null when a pool
 * never started it (the run was cancelled while it waited in the queue). */
export async function runAttempts(
  job: PlannedJob,
  plan: GroupPlan,
  emit: (event: GroupEvent) => void,
  executor: JobExecutor,
  markers: Readonly<Record<string, string>>,
  hooks: AttemptHooks = {},
): Promise<JobResult | null> {
  const settle = hooks.settle ?? (async (result: JobResult) => result);
  const finish = hooks.finish ?? (async (result: JobResult) => result);
  const admission = hooks.admission ?? OPEN_ADMISSION;
  const stop = hooks.stop ?? new AbortController().signal;
  for (let retry = 0; ; retry += 1) {
    const attempt = job.attempt + retry;
    const logPath = attemptLogPath(job, plan, retry);
    const planned = { ...job, attempt, logPath };
    const ran = await runJob(planned, plan, emit, executor, markers, stop);
    if (ran === null) return null;
    const result = admission.completed(planned, await settle(ran));
    const cause = retry < plan.retries ? transientCause(result) : null;
    if (cause === null || plan.signal?.aborted === true || stop.aborted) {
      const final = await finish(result);
      emit({ type: 'job-end', result: final });
      return final;
    }
    // A provider paused after a rate limit is waited for, if that is longer than the backoff.
    const delay = Math.max(backoffMs(retry + 1, plan.retryDelaySec), admission.retryWaitMs(job));
    emit({
      type: 'job-end',
      result: { ...result, details: { ...result.details, transient: cause, retry_in_ms: delay } },
    });
    plan.onWarning(
      `[parex] ${job.name} failed with "${cause}", which looks transient: attempt ${attempt + 1} of ${job.attempt + plan.retries} in ${delay / 1000}s`,
    );
    try {
      const signal = plan.signal === null ? stop : AbortSignal.any([plan.signal, stop]);
      await sleepLong(delay, signal);
    } catch {
      return finish(result); // cancelled (or stopped for the budget) while waiting
    }
  }
}
