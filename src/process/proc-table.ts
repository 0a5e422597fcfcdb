// Reads the Linux process table to tell living processes from zombies, which kill(pid, 0) cannot.
import { readdirSync, readFileSync } from 'node:fs';

/** One row of the process table. */
export interface ProcessRow {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  /** One letter: R running, S sleeping, Z zombie, ... */
  readonly state: string;
}

/** Every process in /proc, or null where there is no /proc to read. */
export function readProcessTable(): ProcessRow[] | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  const rows: ProcessRow[] = [];
  for (const entry of entries) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    const row = readRow(entry);
    if (row !== null) rows.push(row);
  }
  return rows;
}

/** Pids of the processes of group `pgid` that are alive (not zombies); null without /proc. */
export function livingMembers(pgid: number): number[] | null {
  const table = readProcessTable();
  if (table === null) return null;
  return table.filter((row) => row.pgid === pgid && !isDead(row.state)).map((row) => row.pid);
}

/** Reads /proc/PID/cmdline as a list of arguments; empty when the process is gone. */
export function readCommandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
  } catch {
    return [];
  }
}

/** The fields of /proc/PID/stat after the command name (state first), or null when it is gone. */
function readStat(pid: string): string[] | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name sits in parentheses and may itself contain spaces or parentheses.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

function readRow(pid: string): ProcessRow | null {
  const fields = readStat(pid);
  if (fields === null) return null;
  const [state = '', ppid = '', pgid = ''] = fields;
  return { pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), state };
}

function isDead(state: string): boolean {
  return state === 'Z' || state === 'X' || state === 'x';
}

/** The start time of process `pid` (clock ticks after boot), or null when it is gone or a zombie. */
export function processStartTime(pid: number): number | null {
  const fields = readStat(String(pid));
  // After the command name: state is field 3 of stat(5), starttime field 22.
  if (fields === null || isDead(fields[0] ?? '')) return null;
  const start = Number(fields[19]);
  return Number.isFinite(start) ? start : null;
}

/** True while process `pid` exists and is not a zombie. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const row = readRow(String(pid));
  return row === null ? existsWithoutProc() : !isDead(row.state);
}

function existsWithoutProc(): boolean {
  return readProcessTable() === null;
}
