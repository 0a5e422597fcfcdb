// Appends the manifest while a group runs: one write of one whole line per event, never a rewrite.
// A line is written whole or not at all: a short write (a full disk) is cut back to the last
// whole line. A failed write is told to `onFailure` and never thrown: the run must go on
// stopping its jobs whatever happens to its record. Completion lines are flushed to disk
// (fdatasync), several at a time when they come quickly.
import { closeSync, fdatasync, fdatasyncSync, fstatSync, ftruncateSync, writeSync } from 'node:fs';

import { openRegular } from '../files/regular-file.js';
import type { GroupEvent } from '../model/events.js';
import { endEntry, type RunContext, startEntry } from './entries.js';

/** Writes start and completion lines to an open manifest file. */
export class ManifestRecorder {
  private readonly fd: number;
  /** The size of the file up to its last whole line. */
  private size: number;
  private syncing: Promise<void> | null = null;
  private dirty = false;
  private closed = false;

  /**
   * Opens (or creates) the manifest for appending (never through a link, never a FIFO);
   * `redact` hides secrets in every line; `onFailure` hears of every write that failed.
   */
  constructor(
    readonly path: string,
    private readonly context: RunContext,
    private readonly redact: <T>(value: T) => T = (value) => value,
    private readonly onFailure: (message: string) => void = () => {},
  ) {
    this.fd = openRegular(path, 'append');
    this.size = fstatSync(this.fd).size;
  }

  /** Records the events that have a manifest line; ignores the rest. */
  record(event: GroupEvent): void {
    if (event.type === 'job-start') {
      this.append(startEntry(this.context, event));
    } else if (event.type === 'job-end' || event.type === 'job-skip') {
      if (this.append(endEntry(this.context, event.result))) this.requestSync();
    }
  }

  /** Waits for the last flush, flushes what is left, and closes the file. */
  async close(): Promise<void> {
    while (this.syncing !== null) await this.syncing;
    this.closed = true;
    try {
      fdatasyncSync(this.fd);
    } catch (error) {
      this.fail('flush', error as NodeJS.ErrnoException);
    } finally {
      closeSync(this.fd);
    }
  }

  /** Writes one line with one write; true when it is all on file. */
  private append(entry: object): boolean {
    const line = Buffer.from(`${JSON.stringify(this.redact(entry))}\n`);
    let written: number;
    try {
      written = writeSync(this.fd, line);
    } catch (error) {
      this.fail('write', error as NodeJS.ErrnoException);
      return false;
    }
    if (written === line.length) {
      this.size += written;
      return true;
    }
    // A short write: the disk filled up inside the line. Cut the file back to its whole lines.
    try {
      ftruncateSync(this.fd, this.size);
    } catch {
      // The reader skips a torn last line anyway.
    }
    this.fail('write', Object.assign(new Error('short write'), { code: 'ENOSPC' }), written);
    return false;
  }

  private requestSync(): void {
    if (this.closed) return;
    if (this.syncing !== null) {
      this.dirty = true;
      return;
    }
    this.syncing = new Promise((resolve) => {
      fdatasync(this.fd, (error) => {
        this.syncing = null;
        if (error !== null) this.fail('flush', error);
        if (this.dirty) {
          this.dirty = false;
          this.requestSync();
        }
        resolve();
      });
    });
  }

  private fail(step: 'write' | 'flush', error: NodeJS.ErrnoException, written?: number): void {
    const cause =
      error.code === undefined ? error.message : `${error.code}: ${describeErrno(error)}`;
    const partial =
      written === undefined ? '' : ` (${written} bytes of a line; cut back to the last whole line)`;
    this.onFailure(`could not ${step} the manifest ${this.path} (${cause})${partial}`);
  }
}

/** An errno in words, from Node's message ("ENOSPC: no space left on device, write"). */
function describeErrno(error: NodeJS.ErrnoException): string {
  if (error.message === 'short write') return 'no space left on device';
  const words = /^[A-Z0-9]+: ([^,]+)/.exec(error.message)?.[1];
  return words ?? error.message;
}
