// The critical path of a run: from the span that ended last, back through whatever came last
// before each span's start: a job it needs, its own earlier attempt, or (when the run had fewer
// slots than jobs) the span whose end freed its slot. Its spans and the gaps between them add
// up to the wall time; the gaps are the start-up time parex and the jobs spent in between.
import type { JobSpan } from '../model.js';

/** Ends are rounded to the millisecond and the next start follows at once. */
const TOLERANCE_MS = 5;

/** The chain that set the wall time. */
export interface CriticalPath {
  /** First to last: each span with its attempt. */
  readonly spans: readonly JobSpan[];
  /** Sum of the spans' own durations. */
  readonly ms: number;
  /** Wall time not covered by the spans: the start-up gaps before and between them. */
  readonly gapMs: number;
}

/** Follows the chain back from the span that ended last; `limited` when slots were fewer than jobs. */
export function criticalPath(spans: readonly JobSpan[], limited: boolean): CriticalPath {
  if (spans.length === 0) return { spans: [], ms: 0, gapMs: 0 };
  const byEnd = [...spans].sort((a, b) => a.endedAt.getTime() - b.endedAt.getTime());
  const first = Math.min(...spans.map((span) => span.startedAt.getTime()));
  const last = byEnd.at(-1) as JobSpan;
  const path: JobSpan[] = [last];
  const seen = new Set<JobSpan>(path);
  for (;;) {
    const current = path[0] as JobSpan;
    const before = predecessor(current, byEnd, limited, seen);
    if (before === null) break;
    path.unshift(before);
    seen.add(before);
  }
  const ms = path.reduce((sum, span) => sum + span.durationMs, 0);
  const wall = last.endedAt.getTime() - first;
  return { spans: path, ms, gapMs: Math.max(0, wall - ms) };
}

function predecessor(
  span: JobSpan,
  byEnd: readonly JobSpan[],
  limited: boolean,
  seen: ReadonlySet<JobSpan>,
): JobSpan | null {
  const start = span.startedAt.getTime() + TOLERANCE_MS;
  const needs = new Set(span.needs ?? []);
  const attempt = span.attempt ?? 1;
  const waitedFor = (other: JobSpan) =>
    needs.has(other.name) || (other.name === span.name && (other.attempt ?? 1) < attempt);
  // Back from the last span that ended before this one started.
  let best: JobSpan | null = null;
  for (let index = lastEndingBy(byEnd, start); index >= 0; index -= 1) {
    const other = byEnd[index] as JobSpan;
    if (best !== null && other.endedAt < best.endedAt) break;
    if (other === span || seen.has(other) || other.endedAt > span.endedAt) continue;
    if (!limited && !waitedFor(other)) continue;
    // Of two that ended together, the one it waited for by name explains its start best.
    if (best === null || waitedFor(other)) best = other;
    if (waitedFor(best)) break;
  }
  return best;
}

/** The index of the last span (sorted by end) that ended by `ms`; -1 when none did. */
function lastEndingBy(byEnd: readonly JobSpan[], ms: number): number {
  let low = 0;
  let high = byEnd.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((byEnd[middle] as JobSpan).endedAt.getTime() <= ms) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/** A span's name for people: the job, and its attempt when it had several. */
export function spanLabel(span: JobSpan): string {
  return (span.attempt ?? 1) > 1 ? `${span.name}#${span.attempt}` : span.name;
}
