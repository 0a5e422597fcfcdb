// Appends the manifest while a group runs: one write of one whole line per event, never a rewrite.
import { closeSync, openSync, writeSync } from 'node:fs';

import type { GroupEvent } from '../model.js';
import { endEntry, type RunContext, startEntry } from './entries.js';

/** Writes start and completion lines to an open manifest file. */
export class ManifestRecorder {
  private readonly fd: number;

  /** Opens (or creates) the manifest for appending. */
  constructor(
    readonly path: string,
    private readonly context: RunContext,
  ) {
    this.fd = openSync(path, 'a');
  }

  /** Records the events that have a manifest line; ignores the rest. */
  record(event: GroupEvent): void {
    if (event.type === 'job-start') this.append(startEntry(this.context, event));
    else if (event.type === 'job-end' || event.type === 'job-skip') {
      this.append(endEntry(this.context, event.result));
    }
  }

  /** Closes the file. */
  close(): void {
    closeSync(this.fd);
  }

  private append(entry: object): void {
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
  }
}
