// The stop ladder: each signal in turn to the whole process group, the grace period apart,
// until nothing of the group is alive. The last rung is SIGKILL, which nothing can ignore.
// A group that holds only zombies (processes that ended and wait to be reaped) is stopped
// already: it gets no signal, so a job that ended by itself is never counted as stopped, and
// SIGKILL is sent only when a process of the group was still alive after the grace.
import { monotonicMs } from '../clock.js';
import { isGroupAlive, signalGroup } from '../group.js';
import { waitUntil } from './wait-until.js';

/** After SIGKILL, how long to wait for the kernel to clear the group before giving up. */
const AFTER_KILL_LIMIT_MS = 2_000;

/** What the ladder needs to know about the group it stops. */
export interface LadderRequest {
  readonly pgid: number;
  /** Signals in order; the last one is SIGKILL. */
  readonly signals: readonly NodeJS.Signals[];
  readonly graceMs: number;
  /** Aborting it skips the rest of the grace and jumps to the last signal. */
  readonly force: AbortSignal | null;
  readonly onSignal: (signal: NodeJS.Signals) => void;
}

/** What the ladder did. */
export interface LadderResult {
  /** The signals sent, in order. */
  readonly signals: NodeJS.Signals[];
  /** When the first signal was sent (monotonic ms), if one was. */
  readonly firstAt: number | null;
  /** Milliseconds from the first signal to the last, when the last rung had to be sent. */
  readonly lastAfterMs: number | null;
}

/** Stops a process group and returns the signals it had to send. */
export async function climbStopLadder(request: LadderRequest): Promise<LadderResult> {
  const { pgid, signals, graceMs, force, onSignal } = request;
  const gone = () => !isGroupAlive(pgid);
  const sent: NodeJS.Signals[] = [];
  let firstAt: number | null = null;
  for (const [index, signal] of signals.entries()) {
    const last = index === signals.length - 1;
    if (!last && force?.aborted === true) continue;
    // Seen alive now, not a poll ago: a signal is sent only to a group with a living process.
    // The time is taken before the signal, so that any end it causes comes after it.
    const at = monotonicMs();
    if (!isGroupAlive(pgid, at) || !signalGroup(pgid, signal)) break;
    firstAt ??= at;
    sent.push(signal);
    onSignal(signal);
    if (last) {
      await waitUntil(gone, AFTER_KILL_LIMIT_MS);
      return {
        signals: sent,
        firstAt,
        lastAfterMs: sent.length > 1 ? Math.round(at - firstAt) : null,
      };
    }
    if (await waitUntil(gone, graceMs, force)) break;
  }
  return { signals: sent, firstAt, lastAfterMs: null };
}
