// The coordinator's backstop deadline for a pooled attempt: a worker that took a job and has not
// told its end within the job's timeout, its grace per stop signal and a margin (plus, for an
// isolated job, its set-up's timeout and time for its git objects) is given up on.
import type { AttemptRequest } from '../engine/executor.js';
import type { RemoteAttempt } from './remote-attempt.js';
import { BACKSTOP_MARGIN_MS } from './timing.js';
import { WORKSPACE_MARGIN_MS } from './workspace-protocol.js';

/** Watches `attempt` once taken; `giveUp` cancels it on its worker. Returns the timer to clear
 * (none for a job without a timeout). */
export function watchBackstop(
  attempt: RemoteAttempt,
  request: AttemptRequest,
  setupTimeoutSec: number | undefined,
  giveUp: (attempt: RemoteAttempt) => void,
): NodeJS.Timeout | undefined {
  if (request.timeoutMs === 0) return undefined;
  const travel = setupTimeoutSec === undefined ? 0 : WORKSPACE_MARGIN_MS + setupTimeoutSec * 1000;
  const limit =
    request.timeoutMs + request.graceMs * request.stopSignals.length + BACKSTOP_MARGIN_MS + travel;
  return setInterval(() => {
    const taken = attempt.taken;
    if (taken === null || Date.now() - taken.at < limit) return;
    giveUp(attempt);
    attempt.lose(
      `no end from worker ${taken.worker} within the timeout, the grace and ${BACKSTOP_MARGIN_MS / 1000}s`,
    );
  }, 1000);
}
