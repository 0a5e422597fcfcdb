// One run per log directory: LOG_DIR/.parex.lock names the parex process that owns it. A lock
// whose process is gone (checked by pid and start time, so a reused pid does not count) is stale.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

import { UsageError } from '../errors.js';
import { processStartTime } from '../process/proc-table.js';

/** What the lock file holds. */
interface LockContents {
  readonly pid: number;
  /** The process's start time in clock ticks since boot (/proc/PID/stat field 22), or null. */
  readonly start: number | null;
  readonly run_id: string;
  readonly started_at: string;
}

/** A held lock; `release` removes it. */
export interface LogDirLock {
  release(): void;
}

/** Takes the lock of `logDir`; a UsageError if a live parex holds it, unless `force`. */
export function lockLogDir(
  logDir: string,
  runId: string,
  force: boolean,
  warn: (message: string) => void,
): LogDirLock {
  const file = path.join(logDir, '.parex.lock');
  const mine: LockContents = {
    pid: process.pid,
    start: processStartTime(process.pid),
    run_id: runId,
    started_at: new Date().toISOString(),
  };
  for (let tries = 0; tries < 2; tries += 1) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${JSON.stringify(mine)}\n`);
      closeSync(fd);
      return { release: () => releaseIfMine(file, mine) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readLock(file);
    if (holder !== null && isAlive(holder) && !force) {
      throw new UsageError(
        `the log directory ${logDir} is in use by parex pid ${holder.pid} (run ${holder.run_id}, since ${holder.started_at})`,
        'two runs writing one manifest and the same log files would mix their lines',
        `wait for that run to end (parex status --log-dir ${logDir}), use another --log-dir, or pass --force if you are sure`,
      );
    }
    warn(
      holder !== null && isAlive(holder)
        ? `[parex] warning: --force: taking the log directory ${logDir} from parex pid ${holder.pid}, which is still running`
        : `[parex] warning: taking over a stale lock in ${logDir} (its parex${holder === null ? '' : ` pid ${holder.pid}`} is gone)`,
    );
    removeLock(file);
  }
  throw new UsageError(
    `cannot lock the log directory ${logDir}`,
    'another run keeps taking the lock',
    'try again, or use another --log-dir',
  );
}

/** True when a live parex holds the lock of `logDir` (an unreadable lock counts as held). */
export function isLogDirLocked(logDir: string): boolean {
  const file = path.join(logDir, '.parex.lock');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
  const holder = parseLock(text);
  return holder === null || isAlive(holder);
}

function parseLock(text: string): LockContents | null {
  try {
    const value = JSON.parse(text) as LockContents;
    return typeof value.pid === 'number' ? value : null;
  } catch {
    return null;
  }
}

function readLock(file: string): LockContents | null {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as LockContents;
    return typeof value.pid === 'number' ? value : null;
  } catch {
    return null;
  }
}

function isAlive(holder: LockContents): boolean {
  const start = processStartTime(holder.pid);
  if (start === null) return false;
  return holder.start === null || start === holder.start;
}

function releaseIfMine(file: string, mine: LockContents): void {
  const holder = readLock(file);
  if (holder !== null && holder.pid === mine.pid && holder.start === mine.start) removeLock(file);
}

/** Removes a lock file that may already be gone (unlinkSync: rmSync loads more of Node). */
function removeLock(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
