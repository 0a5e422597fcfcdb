// One run per log directory: LOG_DIR/.parex.lock names the parex process that owns it. A lock
// whose process is gone (checked by pid and start time, so a reused pid does not count) is stale.
// The lock appears whole or not at all: it is written to a file of a unique name, then link()ed
// into place, which fails when a lock is there. A stale lock is taken over under a takeover
// mutex (LOG_DIR/.parex.lock.takeover, made with mkdir): its holder renames the very lock it
// judged stale (same inode) out of the way, so a fresh lock is never removed and exactly one
// taker wins. Releases go through the same mutex, so a --force takeover never meets a release.
import {
  closeSync,
  fstatSync,
  linkSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

import { UsageError } from '../errors.js';
import { openRegular } from '../files/regular-file.js';
import { processStartTime } from '../process/proc-table.js';

/** What the lock file holds. */
interface LockContents {
  readonly pid: number;
  /** The process's start time in clock ticks since boot (/proc/PID/stat field 22), or null. */
  readonly start: number | null;
  readonly run_id: string;
  readonly started_at: string;
}

/** A lock file as read: its inode and text (together, what tells one lock from another: an
 * inode number is reused as soon as a file is gone), and its holder (null: not parex's). */
interface ReadLock {
  readonly ino: number;
  readonly text: string;
  readonly holder: LockContents | null;
}

/** A held lock; `release` removes it. */
export interface LogDirLock {
  release(): void;
}

/** How many times a taker goes round (take, or take over a stale lock) before it gives up. */
const MAX_ROUNDS = 200;
/** A takeover mutex older than this was left by a taker that died in the middle. */
const STALE_MUTEX_MS = 10_000;

/** The lock file of a log directory. */
export function lockFilePath(logDir: string): string {
  return path.join(logDir, '.parex.lock');
}

/** Takes the lock of `logDir`; a UsageError if a live parex holds it, unless `force`. */
export function lockLogDir(
  logDir: string,
  runId: string,
  force: boolean,
  warn: (message: string) => void,
): LogDirLock {
  const file = lockFilePath(logDir);
  const mine: LockContents = {
    pid: process.pid,
    start: processStartTime(process.pid),
    run_id: runId,
    started_at: new Date().toISOString(),
  };
  const warned = new Set<number>();
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const own = linkInPlace(file, mine);
    if (own !== null) return { release: () => release(file, own) };
    const found = readLock(file);
    if (found === null) continue; // released meanwhile: try again
    const { holder } = found;
    const alive = holder !== null && isAlive(holder);
    if (alive && !force) {
      throw new UsageError(
        `the log directory ${logDir} is in use by parex pid ${holder.pid} (run ${holder.run_id}, since ${holder.started_at})`,
        'two runs writing one manifest and the same log files would mix their lines',
        `wait for that run to end (parex status --log-dir ${logDir}), use another --log-dir, or pass --force if you are sure`,
      );
    }
    if (!warned.has(found.ino)) {
      warned.add(found.ino);
      warn(
        alive
          ? `[parex] warning: --force: taking the log directory ${logDir} from parex pid ${holder.pid}, which is still running`
          : `[parex] warning: taking over a stale lock in ${logDir} (its parex${holder === null ? '' : ` pid ${holder.pid}`} is gone)`,
      );
    }
    withMutex(file, () => removeIfSame(file, found));
  }
  throw new UsageError(
    `cannot lock the log directory ${logDir}`,
    'other runs keep taking the lock',
    'try again, or use another --log-dir',
  );
}

/** True when a live parex holds the lock of `logDir` (an unreadable lock counts as held). */
export function isLogDirLocked(logDir: string): boolean {
  let found: ReadLock | null;
  try {
    found = readLock(lockFilePath(logDir));
  } catch {
    return true;
  }
  return found !== null && (found.holder === null || isAlive(found.holder));
}

/** A name no other process or call uses. */
function uniqueName(file: string, what: string): string {
  return `${file}.${what}.${process.pid}.${process.hrtime.bigint()}`;
}

/** Writes the lock whole under a unique name, then links it into place; the lock as placed,
 * or null when a lock is there already. */
function linkInPlace(file: string, mine: LockContents): ReadLock | null {
  const partial = uniqueName(file, 'partial');
  const text = `${JSON.stringify(mine)}\n`;
  try {
    const fd = openSync(partial, 'wx');
    let ino: number;
    try {
      writeSync(fd, text);
      ino = fstatSync(fd).ino;
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(partial, file);
      return { ino, text, holder: mine };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
      throw error;
    }
  } finally {
    try {
      unlinkSync(partial);
    } catch {
      // Never made (the open failed).
    }
  }
}

/** Reads the lock (never through a link, never blocking on a FIFO); null when it is gone. */
function readLock(file: string): ReadLock | null {
  let fd: number;
  try {
    fd = openRegular(file, 'read');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const { ino } = fstatSync(fd);
    const buffer = Buffer.alloc(4096);
    const text = buffer.toString('utf8', 0, readSync(fd, buffer, 0, buffer.length, 0));
    return { ino, text, holder: parseLock(text) };
  } finally {
    closeSync(fd);
  }
}

function parseLock(text: string): LockContents | null {
  try {
    const value = JSON.parse(text) as LockContents;
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

/** Removes our own lock, waiting for the mutex if a taker holds it. */
function release(file: string, own: ReadLock): void {
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    if (withMutex(file, () => removeIfSame(file, own))) return;
  }
}

/** Runs `body` holding the takeover mutex and returns true; false without running it when
 * another process holds the mutex (the caller goes round again; a mutex whose taker died is
 * cleared). */
function withMutex(file: string, body: () => void): boolean {
  const mutex = `${file}.takeover`;
  try {
    mkdirSync(mutex);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    clearStaleMutex(mutex);
    pause();
    return false;
  }
  try {
    body();
    return true;
  } finally {
    rmdirSync(mutex);
  }
}

/** Moves the lock away if it is still the one read before (the one judged stale, or our own):
 * under the mutex nothing else can remove or replace it meanwhile. */
function removeIfSame(file: string, before: ReadLock): void {
  const now = readLock(file);
  if (now === null || now.ino !== before.ino || now.text !== before.text) return;
  const away = uniqueName(file, 'stale');
  renameSync(file, away);
  unlinkSync(away);
}

function clearStaleMutex(mutex: string): void {
  try {
    if (Date.now() - statSync(mutex).mtimeMs > STALE_MUTEX_MS) rmdirSync(mutex);
  } catch {
    // Gone already, or taken by another.
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Waits a millisecond, synchronously: the lock is taken before anything runs. */
function pause(): void {
  Atomics.wait(sleeper, 0, 0, 1);
}
