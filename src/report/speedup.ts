// Speedup: the sum of the jobs' own durations (every attempt) over the wall time they spanned
// together; efficiency over the slots actually available; the critical path.
import type { JobSpan, SpeedupFigures } from '../model.js';
import { criticalPath, spanLabel } from './critical-path.js';

/**
 * The figures of a set of spans. `slots` is the -j limit of the run (null: unknown, taken as one
 * slot per job), `widest` the most jobs its needs let run at once (null: every job).
 */
export function computeSpeedup(
  spans: readonly JobSpan[],
  slots: number | null = null,
  widest: number | null = null,
): SpeedupFigures {
  const names = new Set(spans.map((span) => span.name)).size;
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
  let sumMs = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let longest = spans[0] as JobSpan;
  for (const span of spans) {
    sumMs += span.durationMs;
    first = Math.min(first, span.startedAt.getTime());
    last = Math.max(last, span.endedAt.getTime());
    if (span.durationMs > longest.durationMs) longest = span;
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
    longest: longest.name,
    slots: available,
    efficiency: speedup / available,
    criticalPath: path.spans.map(spanLabel),
    criticalPathMs: path.ms,
    gapMs: path.gapMs,
  };
}
