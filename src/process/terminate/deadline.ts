// A deadline timer that also works beyond the 24.8 days a single Node timer can wait.

/** The longest delay one setTimeout accepts (2^31 - 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;

/** Calls `onDeadline` after `ms` milliseconds; returns a function that cancels it. */
export function startDeadline(ms: number, onDeadline: () => void): () => void {
  let timer: NodeJS.Timeout;
  const arm = (left: number) => {
    timer = setTimeout(
      () => (left > MAX_TIMER_MS ? arm(left - MAX_TIMER_MS) : onDeadline()),
      Math.min(left, MAX_TIMER_MS),
    );
  };
  arm(Math.max(1, ms));
  return () => clearTimeout(timer);
}
