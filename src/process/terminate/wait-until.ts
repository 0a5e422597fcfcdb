// Polling for conditions that have no event, such as "every process of a group is gone".
import { setTimeout as sleep } from 'node:timers/promises';
import { monotonicMs } from '../clock.js';

/** How often conditions are polled, in milliseconds. */
export const POLL_INTERVAL_MS = 10;

/** Resolves true once `condition()` holds, or false after `limitMs` or when `abort` fires first. */
export async function waitUntil(
  condition: () => boolean,
  limitMs: number,
  abort: AbortSignal | null = null,
): Promise<boolean> {
  const deadline = monotonicMs() + limitMs;
  while (!condition()) {
    const left = deadline - monotonicMs();
    if (left <= 0 || abort?.aborted === true) return false;
    await sleep(Math.min(POLL_INTERVAL_MS, left));
  }
  return true;
}
