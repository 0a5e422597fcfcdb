// A pooled attempt's log on the coordinator. The file is made (or truncated, as a local run's)
// off the event loop when a worker takes the job, and its writer (src/pool/log-writer.ts) opened
// once the first bytes come: made on the loop, 500 short jobs' files held the coordinator for
// 0.4-1.4 s on a busy disk. Like a local run's log it is not synced: the manifest is, and it
// says how many bytes the log has.
import { closeSync, constants, open as openCallback } from 'node:fs';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';

import { explainOpenError, regularOpenFlags, unsafeFileError } from '../files/regular-file.js';
import { LogWriter } from './log-writer.js';

const openFd = promisify(openCallback);

/** One attempt's log file, written in order. */
export class AttemptLog {
  private writer: LogWriter | null = null;
  private pending: Buffer[] = [];
  private failed: string | null = null;
  private readonly created: Promise<void>;

  constructor(private readonly path: string) {
    this.created = createRegular(path).catch((error: Error) => {
      this.failed = error.message;
    });
  }

  /** Bytes the kernel has taken. */
  get written(): number {
    return this.writer?.written ?? 0;
  }

  /** The first error in making or writing the file, in words. */
  get error(): string | null {
    return this.writer?.error ?? this.failed;
  }

  /** Queues a chunk; `flush` writes it. */
  add(data: Buffer): void {
    if (this.writer === null) this.pending.push(data);
    else this.writer.add(data);
  }

  /** Writes what was queued; resolves once it (and everything before it) is written. */
  async flush(): Promise<void> {
    await this.created;
    if (this.writer === null && this.pending.length > 0 && this.failed === null) {
      try {
        this.writer = new LogWriter(this.path);
      } catch (error) {
        this.failed = (error as Error).message;
      }
    }
    for (const data of this.pending) this.writer?.add(data);
    this.pending = [];
    await this.writer?.flush();
  }

  /** Writes the rest, then closes the file. */
  async close(): Promise<void> {
    await this.flush();
    await this.writer?.close();
  }
}

/** Makes (or empties) `file` as a local run's log: never through a link, never a FIFO or a
 * file with other hard links (src/files/regular-file.ts), without blocking the event loop. A
 * new file (the usual case) takes one open and a close; one already there (a retry's, a resumed
 * run's) is checked first and then emptied. */
async function createRegular(file: string): Promise<void> {
  // O_EXCL makes only a new file (never through a link): nothing to check or empty. Its close
  // is on the loop (a new, empty file's close waits for nothing): one trip to the thread pool.
  const fresh = await openFd(file, regularOpenFlags('truncate') | constants.O_EXCL, 0o666).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return null;
      throw explainOpenError(file, error);
    },
  );
  if (fresh !== null) return closeSync(fresh);
  const handle = await open(file, regularOpenFlags('truncate'), 0o666).catch((error) => {
    throw explainOpenError(file, error as NodeJS.ErrnoException);
  });
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.nlink > 1)
      throw unsafeFileError(file, 'not a regular file', 'ENOTREG');
    if (stats.size > 0) await handle.truncate(0);
  } finally {
    await handle.close();
  }
}
