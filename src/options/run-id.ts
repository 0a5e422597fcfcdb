// Run ids: sortable by time, unique enough for one machine, and valid names. The random part
// comes from Math.random: node:crypto would add about 6 ms to every start.

/** Makes a run id such as 20261125-132857-4f2a: the UTC start time, then 4 random hex digits. */
export function makeRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const random = Math.floor(Math.random() * 0x10000);
  return `${stamp}-${random.toString(16).padStart(4, '0')}`;
}
