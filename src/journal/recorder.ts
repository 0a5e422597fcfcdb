// Appends the manifest while a group runs: one write of one whole line per event, never a rewrite.
// Completion lines are flushed to disk (fdatasync), several at a time when they come quickly.
import { closeSync, fdatasync, fdatasyncSync, openSync, writeSync } from 'node:fs';

import type { GroupEvent } from '../model.js';
import { endEntry, type RunContext, startEntry } from './entries.js';

/** Writes start and completion lines to an open manifest file. */
export class ManifestRecorder {
  private readonly fd: number;
  private syncing: Promise<void> | null = null;
  private dirty = false;

  /** Opens (or creates) the manifest for appending; `redact` hides secrets in every line. */
  constructor(
    readonly path: string,
    private readonly context: RunContext,
    private readonly redact: <T>(value: T) => T = (value) => value,
  ) {
    this.fd = openSync(path, 'a');
  }

  /** Records the events that have a manifest line; ignores the rest. */
  record(event: GroupEvent): void {
    if (event.type === 'job-start') {
      this.append(startEntry(this.context, event));
    } else if (event.type === 'job-end' || event.type === 'job-skip') {
      this.append(endEntry(this.context, event.result));
      this.requestSync();
    }
  }

  /** Waits for the last flush, flushes what is left, and closes the file. */
  async close(): Promise<void> {
    while (this.syncing !== null) await this.syncing;
    fdatasyncSync(this.fd);
    closeSync(this.fd);
  }

  private append(entry: object): void {
    writeSync(this.fd, `${JSON.stringify(this.redact(entry))}\n`);
  }

  private requestSync(): void {
    if (this.syncing !== null) {
      this.dirty = true;
      return;
    }
    this.syncing = new Promise((resolve) => {
      fdatasync(this.fd, () => {
        this.syncing = null;
        if (this.dirty) {
          this.dirty = false;
          this.requestSync();
        }
        resolve();
      });
    });
  }
}
