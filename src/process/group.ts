// Signals and liveness of whole process groups: a job and everything it started.
import { monotonicMs } from './clock.js';
import { isLivingMemberOf, isProcessAlive, livingMembers, pollReadingAgeMs } from './proc-table.js';

/** Sends `signal` to every process in group `pgid`; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    if (code === 'EPERM') return true; // a member we may not signal: the group still exists
    throw error;
  }
}

/**
 * True while any process of group `pgid` is alive; zombies, which nothing may reap, do not
 * count. The leader is looked at first (one file); only a group whose leader has ended needs
 * the process table, read at `notBefore` or later (by default, a reading a few ms old will
 * do: see pollReadingAgeMs).
 */
export function isGroupAlive(
  pgid: number,
  notBefore = monotonicMs() - pollReadingAgeMs(),
): boolean {
  if (!signalGroup(pgid, 0)) return false;
  const leader = isLivingMemberOf(pgid, pgid);
  if (leader !== false) return true; // alive, or no /proc to tell
  const living = livingMembers(pgid, notBefore);
  return living === null || living.length > 0;
}

/** True once the leader of group `pgid` (the job's own process) has ended: a zombie or gone. */
export function hasLeaderEnded(pgid: number): boolean {
  return !isProcessAlive(pgid);
}
