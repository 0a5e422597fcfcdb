// Speedup: the sum of the jobs' own durations (every attempt) over the wall time they spanned
// together; efficiency over the slots actually available; the critical path.
import type { JobSpan, SpeedupFigures } from '../model/result.js';
import { criticalPath, spanLabel } from './critical-path.js';
import { type SpanTable, spanTable } from './span-table.js';

/**
 * The figures of a set of spans. `slots` is the -j limit of the run (null: unknown, taken as one
 * slot per job), `widest` the most jobs its needs let run at once (null: every job).
 */
export function computeSpeedup(
  given: readonly JobSpan[] | SpanTable,
  slots: number | null = null,
  widest: number | null = null,
): SpeedupFigures {
  const spans = Array.isArray(given) ? spanTable(given) : (given as SpanTable);
  if (spans.length === 0) {
    return {
      jobs: 0,
      sumMs: 0,
      wallMs: 0,
      speedup: 0,
      longest: null,
      slots: 0,
      efficiency: 0,
      criticalPath: [],
      criticalPathMs: 0,
      gapMs: 0,
    };
  }
  const names = spans.jobCount();
  let sumMs = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let longest = 0;
  for (let span = 0; span < spans.length; span += 1) {
    sumMs += spans.durationMs(span);
    first = Math.min(first, spans.startMs(span));
    last = Math.max(last, spans.endMs(span));
    if (spans.durationMs(span) > spans.durationMs(longest)) longest = span;
  }
  const wallMs = Math.max(0, last - first);
  const speedup = wallMs > 0 ? sumMs / wallMs : 0;
  const available = Math.max(1, Math.min(slots ?? names, widest ?? names, names));
  const path = criticalPath(spans, slots !== null && slots < names);
  return {
    jobs: names,
    sumMs,
    wallMs,
    speedup,
    longest: spans.name(longest),
    slots: available,
    efficiency: speedup / available,
    criticalPath: path.spans.map((span) => spanLabel(spans, span)),
    criticalPathMs: path.ms,
    gapMs: path.gapMs,
  };
}
