// Speedup: the sum of the jobs' own durations over the wall time they spanned together.
import type { JobSpan, SpeedupFigures } from '../model.js';

/** Computes wall time (first start to last end), summed job time, their ratio and the longest job. */
export function computeSpeedup(spans: readonly JobSpan[]): SpeedupFigures {
  if (spans.length === 0) return { jobs: 0, sumMs: 0, wallMs: 0, speedup: 0, longest: null };
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
  return {
    jobs: spans.length,
    sumMs,
    wallMs,
    speedup: wallMs > 0 ? sumMs / wallMs : 0,
    longest: longest.name,
  };
}
