// Signals and liveness of whole process groups: a job and everything it started.
import { livingMembers } from './proc-table.js';

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

/** True while any process of group `pgid` is alive; zombies, which nothing may reap, do not count. */
export function isGroupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  const living = livingMembers(pgid);
  return living === null || living.length > 0;
}
