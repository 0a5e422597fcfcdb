// Job spans from completion lines, including those of the original tool (whole seconds only),
// and the runs of a manifest that several runs appended to.
import type { JobSpan } from '../model/result.js';
import type { EndEntry, ManifestEntry } from './entries.js';
import { isEndEntry, isStartEntry } from './reader.js';

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
  const needs = (entry as { needs?: unknown }).needs;
  return {
    name: entry.phase,
    startedAt,
    endedAt,
    durationMs,
    attempt: typeof entry.attempt === 'number' ? entry.attempt : 1,
    needs: Array.isArray(needs) ? needs.filter((need) => typeof need === 'string') : [],
  };
}

/** One span per attempt that ran (skipped jobs have none), with its outcome, in line order. */
export function attemptSpans(
  entries: readonly ManifestEntry[],
): (JobSpan & { readonly outcome: string })[] {
  return entries
    .filter((entry) => isEndEntry(entry) && entry.status !== 'skipped' && entry.pid !== null)
    .map((entry) => {
      const end = entry as EndEntry;
      return { ...spanOfEntry(end), outcome: end.outcome ?? end.status };
    });
}

/** The -j of a run as its start lines record it; null in manifests written before it was. */
export function concurrencyOf(entries: readonly ManifestEntry[]): number | null {
  for (const entry of entries) {
    if (isStartEntry(entry) && typeof entry.concurrency === 'number') return entry.concurrency;
  }
  return null;
}

/** The run ids of a manifest, in the order they first appear. */
export function runIdsOf(entries: readonly ManifestEntry[]): string[] {
  return [...new Set(entries.map((entry) => entry.run_id))];
}
