// --stagger: job starts spaced at least a fixed time apart, against agents' races on shared
// state at start-up (a locked sqlite database, a rewritten config file).
import { monotonicMs } from '../process/clock.js';
import { sleepLong } from './long-sleep.js';

/** Lets one start through at a time, `spacingMs` after the previous one. */
export class StartGate {
  private next = 0;

  constructor(
    private readonly spacingMs: number,
    private readonly cancel: AbortSignal | null,
  ) {}

  /** Resolves when the caller may start (at once when there is no spacing or on cancel). */
  async wait(): Promise<void> {
    if (this.spacingMs <= 0) return;
    const now = monotonicMs();
    const at = Math.max(now, this.next);
    this.next = at + this.spacingMs;
    if (at > now) {
      try {
        await sleepLong(at - now, this.cancel);
      } catch {
        // Cancelled: the scheduler starts nothing more anyway.
      }
    }
  }
}
