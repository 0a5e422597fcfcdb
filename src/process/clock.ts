// A monotonic clock in milliseconds. process.hrtime is always loaded; the global `performance`
// loads Node's perf_hooks (about 1.5 ms of start-up) on first use.

/** Milliseconds on a clock that never goes back (not wall time). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
