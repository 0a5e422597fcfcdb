// The stop ladder: each signal in turn to the whole process group, the grace period apart,
// until nothing of the group is left. The last rung is SIGKILL, which nothing can ignore.
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
  /** True once the group's leader has exited (until then the group is alive). */
  readonly leaderExited: () => boolean;
  /** Aborting it skips the rest of the grace and jumps to the last signal. */
  readonly force: AbortSignal | null;
  readonly onSignal: (signal: NodeJS.Signals) => void;
}

/** Stops a process group and returns the signals it had to send. */
export async function climbStopLadder(request: LadderRequest): Promise<NodeJS.Signals[]> {
  const { pgid, signals, graceMs, leaderExited, force, onSignal } = request;
  const gone = () => leaderExited() && !isGroupAlive(pgid);
  const sent: NodeJS.Signals[] = [];
  for (const [index, signal] of signals.entries()) {
    const last = index === signals.length - 1;
    if (!last && force?.aborted === true) continue;
    if (gone() || !signalGroup(pgid, signal)) break;
    sent.push(signal);
    onSignal(signal);
    if (last) {
      await waitUntil(gone, AFTER_KILL_LIMIT_MS);
      break;
    }
    if (await waitUntil(gone, graceMs, force)) break;
  }
  return sent;
}
