// The time left, estimated from the jobs that have finished: each job still to run is taken to
// last as long as the finished ones did on average, spread over the slots.
import { runningJobs } from './live-state.js';
import type { LiveState } from './live-types.js';

/** Milliseconds until the run ends; null before any job has finished (nothing to go by), and
 * when only jobs that have outlived the average are left (no way to tell). */
export function estimateRemainingMs(state: LiveState, now: number): number | null {
  if (state.finishedCount === 0) return null;
  const mean = state.finishedMs / state.finishedCount;
  const { queued, running } = state.counts;
  if (queued + running === 0) return 0;
  let work = queued * mean;
  let longest = 0;
  if (running > 0) {
    for (const job of runningJobs(state)) {
      if (job.state !== 'running' && job.state !== 'stopping') continue;
      const left = Math.max(0, mean - (now - job.startedAt));
      work += left;
      longest = Math.max(longest, left);
    }
  }
  if (queued === 0 && longest === 0) return null;
  const slots = Math.max(
    1,
    Math.min(state.concurrency === 0 ? queued + running : state.concurrency, queued + running),
  );
  return Math.max(longest, queued > 0 ? mean : 0, work / slots);
}
