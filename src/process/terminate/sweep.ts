// The sweep: processes that left their job's process group (setsid, double fork) but still carry
// the job's marker in their environment are found in /proc and stopped like the group would be.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';

import { isProcessAlive } from '../proc-table.js';
import { waitUntil } from './wait-until.js';

/** The environment variable that marks every process of a job: RUN_ID/JOB_NAME. */
export const JOB_MARKER = 'PAREX_JOB_ID';
/** The environment variable that marks every process of a run, for the watchdog. */
export const RUN_MARKER = 'PAREX_RUN_ID';

/** Living processes (not parex itself) whose `name` variable has one of `values`, by value;
 * with `since`, the jobs that carry them, only processes made since those started. */
export function findMarked(
  name: string,
  values: ReadonlySet<string>,
  since: readonly JobStart[] | null = null,
): Map<string, number[]> {
  const found = new Map<string, number[]>();
  const listed = candidates(since);
  if (listed === null) return found;
  const { entries, range } = listed;
  const prefix = Buffer.from(`\0${name}=`, 'latin1');
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= range.above || pid > range.upTo) continue;
    if (pid === process.pid) continue;
    const value = markerValue(readEnviron(entry), prefix);
    if (value !== null && values.has(value) && isProcessAlive(pid) && isProcess(pid))
      found.set(value, [...(found.get(value) ?? []), pid]);
  }
  return found;
}

/** Pids made since a short job started, at most, that are looked up one by one (a handful of
 * existence checks) rather than by listing /proc (hundreds of entries on a busy machine). */
const PROBE_MAX = 64;

/** The /proc entries to look at, and the pids among them that count: those made since `since`
 * started (one by one when they are few; the kernel's last pid is read first, so a process made
 * after it came after the job's end, as one made after a listing does), else every entry of
 * /proc, the kernel's last pid read after the listing; null if /proc is unreadable. */
function candidates(
  since: readonly JobStart[] | null,
): { entries: string[]; range: { above: number; upTo: number } } | null {
  const early = newerPids(since);
  if (early !== null && early.upTo - early.above <= PROBE_MAX) {
    const entries: string[] = [];
    for (let pid = early.above + 1; pid <= early.upTo; pid += 1) {
      if (existsSync(`/proc/${pid}`)) entries.push(String(pid));
    }
    return { entries, range: early };
  }
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  const range = newerPids(since) ?? { above: 0, upTo: Number.POSITIVE_INFINITY };
  return { entries, range };
}

/** Whether `pid` is a process, not one of its threads (whose /proc/TID a lookup by number also
 * finds, with the process's environment, though a listing of /proc leaves it out). */
function isProcess(pid: number): boolean {
  try {
    return (
      /^Tgid:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1] === String(pid)
    );
  } catch {
    return false;
  }
}

let environBuffer = Buffer.alloc(64 * 1024);

/** A process's environment behind a NUL (so that every variable follows one), or an empty
 * buffer when it cannot be read; read into one reused buffer, the sweep's hot path. */
function readEnviron(entry: string): Buffer {
  let fd: number;
  try {
    fd = openSync(`/proc/${entry}/environ`, 'r');
  } catch {
    return Buffer.alloc(0);
  }
  try {
    environBuffer[0] = 0;
    let length = 1;
    for (;;) {
      if (length === environBuffer.length) {
        const bigger = Buffer.alloc(environBuffer.length * 2);
        environBuffer.copy(bigger);
        environBuffer = bigger;
      }
      const got = readSync(fd, environBuffer, length, environBuffer.length - length, null);
      if (got === 0) return environBuffer.subarray(0, length);
      length += got;
    }
  } catch {
    return Buffer.alloc(0);
  } finally {
    closeSync(fd);
  }
}

function markerValue(environ: Buffer, prefix: Buffer): string | null {
  const at = environ.indexOf(prefix);
  if (at < 0) return null;
  const start = at + prefix.length;
  const end = environ.indexOf(0, start);
  return environ.toString('latin1', start, end < 0 ? environ.length : end);
}

/** What a sweep stopped of one marker value: how many processes, with which signals. */
export interface SweptProcesses {
  readonly count: number;
  readonly signals: readonly NodeJS.Signals[];
}

/**
 * Stops every marked process: SIGTERM, then SIGKILL after `graceMs` (at once when `force` is
 * aborted); returns how many there were per value, and the signals they were sent.
 */
export async function sweepMarked(
  name: string,
  values: ReadonlySet<string>,
  graceMs: number,
  force: AbortSignal | null = null,
  since: readonly JobStart[] | null = null,
): Promise<Map<string, SweptProcesses>> {
  const found = findMarked(name, values, since);
  const pids = [...found.values()].flat();
  if (pids.length === 0) return new Map();
  signalAll(pids, 'SIGTERM');
  const signals: NodeJS.Signals[] = ['SIGTERM'];
  const gone = () => pids.every((pid) => !isProcessAlive(pid));
  if (!(await waitUntil(gone, graceMs, force))) {
    signalAll(pids, 'SIGKILL');
    signals.push('SIGKILL');
  }
  return new Map(
    [...found.entries()].map(([value, list]) => [value, { count: list.length, signals }]),
  );
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

/** How long a job may have run for its pid to bound its descendants': pids wrap at pid_max (32768
 * at the least), and a whole turn back above the job's pid within 5 s would take over 6,000
 * forks a second. */
const PID_FLOOR_MS = 5000;

/** A job's process: its pid, and when it started (ms). */
export interface JobStart {
  readonly pid: number;
  readonly startedAt: number;
}

/** The pids that processes made since `jobs` started can have, read once the processes have
 * been listed: from the lowest job pid to the kernel's last pid, when every job ran under
 * 5 s and the last pid has not wrapped below it; null (every pid) otherwise. */
function newerPids(jobs: readonly JobStart[] | null): { above: number; upTo: number } | null {
  if (jobs === null || jobs.length === 0) return null;
  const last = lastPid();
  if (last === null) return null;
  const now = Date.now();
  let above = Number.POSITIVE_INFINITY;
  for (const job of jobs) {
    if (last < job.pid || now - job.startedAt >= PID_FLOOR_MS) return null;
    above = Math.min(above, job.pid - 1);
  }
  return { above, upTo: last };
}

/** The pid the kernel gave last (the fifth field of /proc/loadavg), or null. */
function lastPid(): number | null {
  try {
    const last = Number(readFileSync('/proc/loadavg', 'latin1').trim().split(' ')[4]);
    return Number.isInteger(last) ? last : null;
  } catch {
    return null;
  }
}
