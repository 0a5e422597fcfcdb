// A job's attempts: the first, then a retry for each transient failure, each attempt with its
// own log file and its own manifest lines.
import { setTimeout as sleep } from 'node:timers/promises';

import type { GroupEvent, JobResult } from '../model.js';
import { resolveInside } from '../names/inside-root.js';
import type { GroupPlan, PlannedJob } from '../options/normalize.js';
import type { JobExecutor } from './executor.js';
import { backoffMs, transientCause } from './retry.js';
import { runJob } from './run-job.js';

/** Runs a job and its retries; resolves with the last attempt's result, or null when a pool
 * never started it (the run was cancelled while it waited in the queue). */
export async function runAttempts(
  job: PlannedJob,
  plan: GroupPlan,
  emit: (event: GroupEvent) => void,
  executor: JobExecutor,
  markers: Readonly<Record<string, string>>,
  finish: (result: JobResult) => Promise<JobResult> = async (result) => result,
): Promise<JobResult | null> {
  for (let retry = 0; ; retry += 1) {
    const attempt = job.attempt + retry;
    const logPath =
      retry === 0 ? job.logPath : resolveInside(plan.logDir, `${job.name}.attempt${attempt}.log`);
    const result = await runJob({ ...job, attempt, logPath }, plan, emit, executor, markers);
    if (result === null) return null;
    const cause = retry < plan.retries ? transientCause(result) : null;
    if (cause === null || plan.signal?.aborted === true) {
      const final = await finish(result);
      emit({ type: 'job-end', result: final });
      return final;
    }
    const delay = backoffMs(retry + 1, plan.retryDelaySec);
    emit({
      type: 'job-end',
      result: { ...result, details: { ...result.details, transient: cause, retry_in_ms: delay } },
    });
    plan.onWarning(
      `[parex] ${job.name} failed with "${cause}", which looks transient: attempt ${attempt + 1} of ${job.attempt + plan.retries} in ${delay / 1000}s`,
    );
    try {
      await sleep(delay, undefined, plan.signal === null ? {} : { signal: plan.signal });
    } catch {
      return finish(result); // cancelled while waiting
    }
  }
}
