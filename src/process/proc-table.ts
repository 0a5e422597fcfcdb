// Reads the Linux process table to tell living processes from zombies, which kill(pid, 0) cannot.
import { readdirSync, readFileSync } from 'node:fs';

import { monotonicMs } from './clock.js';

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

/** One reading of the table, by group: shared by every caller that can use it, so that 500
 * jobs stopping at once cost one scan of /proc per poll, not 500. */
let snapshot: { readonly at: number; readonly living: ReadonlyMap<number, number[]> } | null = null;

/**
 * Pids of the processes of group `pgid` that are alive (not zombies), as the process table
 * showed them at `notBefore` (a monotonic time) or later; null without /proc. A reading that
 * shows none alive stays true: only a living member can add one to its group.
 */
export function livingMembers(pgid: number, notBefore = monotonicMs()): number[] | null {
  if (snapshot === null || snapshot.at < notBefore) {
    const at = monotonicMs();
    const table = readProcessTable();
    if (table === null) return null;
    scanMs = monotonicMs() - at;
    const living = new Map<number, number[]>();
    for (const row of table) {
      if (isDead(row.state)) continue;
      const members = living.get(row.pgid);
      if (members === undefined) living.set(row.pgid, [row.pid]);
      else members.push(row.pid);
    }
    snapshot = { at, living };
  }
  return snapshot.living.get(pgid) ?? [];
}

/** How long the last scan of the table took, in milliseconds. */
let scanMs = 0;

/** How old a reading may be for a poll: a few ms, or thrice a scan on a full machine (so
 * that polls leave the loop at least two thirds of its time). */
export function pollReadingAgeMs(): number {
  return Math.max(5, 3 * scanMs);
}

/** True while process `pid` is alive (not a zombie) and in group `pgid`; null without /proc. */
export function isLivingMemberOf(pid: number, pgid: number): boolean | null {
  const row = readRow(String(pid));
  if (row === null) return existsWithoutProc() ? null : false;
  return row.pgid === pgid && !isDead(row.state);
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
