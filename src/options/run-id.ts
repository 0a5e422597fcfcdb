// Run ids: sortable by time, unique enough for one machine, and valid names.
import { randomBytes } from 'node:crypto';

/** Makes a run id such as 20261125-132857-4f2a: the UTC start time, then 4 random hex digits. */
export function makeRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}
