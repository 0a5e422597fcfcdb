// Job spans from completion lines, including those of the original tool (whole seconds only).
import type { JobSpan } from '../model.js';
import type { EndEntry } from './entries.js';

/** The span of a completion line: exact times when present, else derived from timestamp and duration_sec. */
export function spanOfEntry(
  entry: Pick<EndEntry, 'phase' | 'timestamp'> & Partial<EndEntry>,
): JobSpan {
  const durationMs =
    typeof entry.duration_ms === 'number' ? entry.duration_ms : (entry.duration_sec ?? 0) * 1000;
  const endedAt = new Date(entry.ended_at ?? entry.timestamp);
  const startedAt = entry.started_at
    ? new Date(entry.started_at)
    : new Date(endedAt.getTime() - durationMs);
  return { name: entry.phase, startedAt, endedAt, durationMs };
}
