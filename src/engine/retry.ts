// Retries: only failures that look transient (rate limits, overload, a locked database at
// start-up) are tried again, after an exponential backoff; usage errors (exit 2) never are.
import { tailLines } from '../journal/log-tail.js';
import type { JobResult } from '../model/result.js';

/**
 * What in a failed job's output marks the failure as transient: rate limits and overload, and
 * the races of parallel agents on shared state (codex's locked sqlite database, a claude that
 * read its config file while another session was rewriting it).
 */
const TRANSIENT =
  /\b429\b|\b529\b|rate[ -]?limit|too many requests|overloaded|database is locked|configuration file at \S+ is corrupted|temporarily unavailable|ECONNRESET|\b503\b/i;

/** How much of a failed job's log is searched for signs of a transient failure. */
const SEARCHED_LINES = 200;

/** The text that makes a failure transient, or null when it should not be retried. */
export function transientCause(result: JobResult): string | null {
  // A pool's job whose worker died (or shut down) ran nowhere to its end: worth another worker.
  if (result.outcome === 'lost') return result.reason ?? 'worker lost';
  if (result.outcome !== 'failed' || result.exitCode === 2) return null;
  for (const text of [
    result.reason ?? '',
    ...tailLines(result.logPath, SEARCHED_LINES),
  ].reverse()) {
    const match = TRANSIENT.exec(text);
    if (match !== null) return match[0];
  }
  return null;
}

/** The wait before retry number `retry` (1 for the first): base, 2 x base, 4 x base, ... */
export function backoffMs(retry: number, baseSec: number): number {
  return Math.round(baseSec * 1000 * 2 ** (retry - 1));
}
