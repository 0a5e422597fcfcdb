// A job's start entry, held back for a moment: a short job's start then goes in one write with
// its end (at hundreds of short jobs a second, a write and a coordinator's read less per job). It
// goes out on its own when the moment is over, or before any other entry of the job (a log
// chunk, a signal, a file), so the coordinator still reads the job's entries in their order. The
// time it carries is the worker's, taken at the spawn: holding it changes no record.
import type { RedisClient } from './modules.js';
import { eventsTtlMs } from './timing.js';

/** How long a start entry waits for its job's end. */
export const START_HOLD_MS = 50;

/** One job's start entry, until it is sent. */
export class HeldStart {
  private fields: string[] | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: RedisClient,
    private readonly stream: string,
  ) {}

  /** The job's process started: its entry is held. */
  hold(pid: number, at: number): void {
    this.fields = ['t', 'start', 'pid', String(pid), 'at', String(at)];
    this.timer = setTimeout(() => this.send(), START_HOLD_MS);
  }

  /** Sends the held entry now (before another entry of the job); nothing if none is held. */
  send(): void {
    const fields = this.take();
    if (fields === null) return;
    // The entry usually makes the stream: it expires from the start (the worker's checks renew it
    // while the job runs), so that nothing is kept for good if coordinator and worker both die.
    void this.client
      .pipeline()
      .xadd(this.stream, '*', ...fields)
      .pexpire(this.stream, eventsTtlMs())
      .exec()
      .catch(() => {});
  }

  /** The held entry's fields, no longer held (they go with the end), or null. */
  take(): string[] | null {
    clearTimeout(this.timer);
    const fields = this.fields;
    this.fields = null;
    return fields;
  }
}
