// A failed agent job's rate limit, read back from the end of its log.
import { tailLines } from '../journal/log-tail.js';
import type { JobResult } from '../model/result.js';
import { type RateLimit, rateLimitInLine } from './rate-limits.js';

/** How much of the end of a failed job's log is searched. */
const SEARCHED_LINES = 200;

/** The rate limit in a failed job's log (then its reason): the first that names a wait, else the first; or null. */
export function rateLimitOfResult(result: JobResult): RateLimit | null {
  if (result.outcome !== 'failed') return null;
  const now = result.endedAt.getTime();
  let last: RateLimit | null = null;
  for (const line of [...tailLines(result.logPath, SEARCHED_LINES), result.reason ?? '']) {
    const found = rateLimitInLine(line, now);
    if (found !== null && (last === null || (last.waitMs === null && found.waitMs !== null))) {
      last = found;
    }
  }
  return last;
}
