// Waits longer than one Node timer can (2^31 - 1 ms, about 24.8 days): a staggered start far down
// a long queue, or a late retry's exponential backoff, is chained over several timers instead of
// firing at once.
import { setTimeout as sleep } from 'node:timers/promises';

import { MAX_TIMER_MS } from '../options/numbers.js';

/** Resolves after `ms` milliseconds; rejects (AbortError) when `signal` aborts first. */
export async function sleepLong(ms: number, signal: AbortSignal | null): Promise<void> {
  for (let left = ms; left > 0; left -= MAX_TIMER_MS) {
    await sleep(Math.min(left, MAX_TIMER_MS), undefined, signal === null ? {} : { signal });
  }
}
