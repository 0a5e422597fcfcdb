// The sweep: processes that left their job's process group (setsid, double fork) but still carry
// the job's marker in their environment are found in /proc and stopped like the group would be.
import { readdirSync, readFileSync } from 'node:fs';

import { isProcessAlive } from '../proc-table.js';
import { waitUntil } from './wait-until.js';

/** The environment variable that marks every process of a job: RUN_ID/JOB_NAME. */
export const JOB_MARKER = 'PAREX_JOB_ID';
/** The environment variable that marks every process of a run, for the watchdog. */
export const RUN_MARKER = 'PAREX_RUN_ID';

/** Living processes (not parex itself) whose `name` variable has one of `values`, by value. */
export function findMarked(name: string, values: ReadonlySet<string>): Map<string, number[]> {
  const found = new Map<string, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  const prefix = `${name}=`;
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
    } catch {
      continue;
    }
    const at = environ.indexOf(prefix);
    if (at < 0 || (at > 0 && environ[at - 1] !== '\0')) continue;
    const end = environ.indexOf('\0', at);
    const value = environ.slice(at + prefix.length, end < 0 ? undefined : end);
    if (values.has(value) && isProcessAlive(pid))
      found.set(value, [...(found.get(value) ?? []), pid]);
  }
  return found;
}

/**
 * Stops every marked process: SIGTERM, then SIGKILL after `graceMs` (at once when `force` is
 * aborted); returns how many there were per value.
 */
export async function sweepMarked(
  name: string,
  values: ReadonlySet<string>,
  graceMs: number,
  force: AbortSignal | null = null,
): Promise<Map<string, number>> {
  const found = findMarked(name, values);
  const pids = [...found.values()].flat();
  if (pids.length === 0) return new Map();
  signalAll(pids, 'SIGTERM');
  const gone = () => pids.every((pid) => !isProcessAlive(pid));
  if (!(await waitUntil(gone, graceMs, force))) signalAll(pids, 'SIGKILL');
  return new Map([...found.entries()].map(([value, list]) => [value, list.length]));
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}
