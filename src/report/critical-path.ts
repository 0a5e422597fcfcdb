// The critical path of a run: from the span that ended last, back through whatever came last
// before each span's start: a job it needs, its own earlier attempt, or (when the run had fewer
// slots than jobs) the span whose end freed its slot. Its spans and the gaps between them add
// up to the wall time; the gaps are the start-up time parex and the jobs spent in between.
import type { SpanTable } from './span-table.js';

/** Ends are rounded to the millisecond and the next start follows at once. */
const TOLERANCE_MS = 5;

/** The chain that set the wall time. */
export interface CriticalPath {
  /** First to last: the positions of its spans in the table. */
  readonly spans: readonly number[];
  /** Sum of the spans' own durations. */
  readonly ms: number;
  /** Wall time not covered by the spans: the start-up gaps before and between them. */
  readonly gapMs: number;
}

/** Follows the chain back from the span that ended last; `limited` when slots were fewer than jobs. */
export function criticalPath(table: SpanTable, limited: boolean): CriticalPath {
  if (table.length === 0) return { spans: [], ms: 0, gapMs: 0 };
  const byEnd = Uint32Array.from({ length: table.length }, (_, index) => index).sort(
    (a, b) => table.endMs(a) - table.endMs(b),
  );
  let first = Number.POSITIVE_INFINITY;
  for (let index = 0; index < table.length; index += 1) {
    first = Math.min(first, table.startMs(index));
  }
  const last = byEnd[byEnd.length - 1] as number;
  const backwards: number[] = [last];
  const seen = new Set<number>(backwards);
  for (let current = last; ; ) {
    const before = predecessor(table, current, byEnd, limited, seen);
    if (before === null) break;
    backwards.push(before);
    seen.add(before);
    current = before;
  }
  const path = backwards.reverse();
  const ms = path.reduce((sum, span) => sum + table.durationMs(span), 0);
  const wall = table.endMs(last) - first;
  return { spans: path, ms, gapMs: Math.max(0, wall - ms) };
}

function predecessor(
  table: SpanTable,
  span: number,
  byEnd: Uint32Array,
  limited: boolean,
  seen: ReadonlySet<number>,
): number | null {
  const start = table.startMs(span) + TOLERANCE_MS;
  const end = table.endMs(span);
  const needs = new Set(table.needs(span));
  const name = table.name(span);
  const attempt = table.attempt(span);
  const waitedFor = (other: number) =>
    needs.has(table.name(other)) || (table.name(other) === name && table.attempt(other) < attempt);
  // Back from the last span that ended before this one started.
  let best: number | null = null;
  for (let index = lastEndingBy(table, byEnd, start); index >= 0; index -= 1) {
    const other = byEnd[index] as number;
    if (best !== null && table.endMs(other) < table.endMs(best)) break;
    if (other === span || seen.has(other) || table.endMs(other) > end) continue;
    if (!limited && !waitedFor(other)) continue;
    // Of two that ended together, the one it waited for by name explains its start best.
    if (best === null || waitedFor(other)) best = other;
    if (waitedFor(best)) break;
  }
  return best;
}

/** The position in `byEnd` of the last span that ended by `ms`; -1 when none did. */
function lastEndingBy(table: SpanTable, byEnd: Uint32Array, ms: number): number {
  let low = 0;
  let high = byEnd.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (table.endMs(byEnd[middle] as number) <= ms) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/** A span's name for people: the job, and its attempt when it had several. */
export function spanLabel(table: SpanTable, span: number): string {
  const attempt = table.attempt(span);
  return attempt > 1 ? `${table.name(span)}#${attempt}` : table.name(span);
}
