// The coordinator's copy of a pooled job's log: the chunks of one read are written together
// (writev) off the event loop, in order, so that reading from Redis and writing to the disk
// overlap; a chunk counts as written once the kernel has it. A failed write (a full disk) stops
// the copy, and the attempt then says its log arrived incomplete, with the error.
import { close, writev } from 'node:fs';

import { openRegular } from '../files/regular-file.js';

/** An ordered, asynchronous writer of one log file. */
export class LogWriter {
  /** Bytes the kernel has taken. */
  written = 0;
  /** The first write error, in words. */
  error: string | null = null;
  private readonly fd: number;
  private pending: Buffer[] = [];
  private writing: Promise<void> = Promise.resolve();

  /** Opens (and truncates) `path` as a local run's log: never through a link or into a FIFO. */
  constructor(path: string) {
    this.fd = openRegular(path, 'truncate');
  }

  /** Queues a chunk; `flush` writes it. */
  add(data: Buffer): void {
    if (this.error === null) this.pending.push(data);
  }

  /** Writes what was queued; resolves once it (and everything before it) is written. */
  flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) this.writing = this.writing.then(() => this.writeAll(batch));
    return this.writing;
  }

  /** Writes the rest, then closes the file (errors end in `error`). It is not synced: a local
   * run's log is not either, and syncing 64 MiB held the run's end for the disk's write of it. */
  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve) => close(this.fd, () => resolve()));
  }

  private async writeAll(batch: Buffer[]): Promise<void> {
    let rest = batch;
    while (rest.length > 0 && this.error === null) {
      const wrote = await new Promise<number>((resolve) =>
        writev(this.fd, rest, (error, bytes) => {
          if (error !== null) this.error = error.message;
          resolve(error === null ? bytes : 0);
        }),
      );
      this.written += wrote;
      rest = remainder(rest, wrote);
    }
  }
}

/** The buffers of `batch` after its first `bytes` (a short write). */
function remainder(batch: Buffer[], bytes: number): Buffer[] {
  let skip = bytes;
  const rest: Buffer[] = [];
  for (const buffer of batch) {
    if (skip >= buffer.length) {
      skip -= buffer.length;
      continue;
    }
    rest.push(skip > 0 ? buffer.subarray(skip) : buffer);
    skip = 0;
  }
  return rest;
}
