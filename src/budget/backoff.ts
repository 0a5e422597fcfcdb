// Shared back-off: after a rate limit, new starts of that provider's jobs wait for the pause
// the error asked for, or an exponential default (5s, 10s, 20s, ... up to 5 minutes); jobs of
// other providers keep starting.
import { monotonicMs } from '../process/clock.js';

/** The first default pause, and the longest, in milliseconds. */
export const DEFAULT_PAUSE_MS = 5000;
export const MAX_PAUSE_MS = 300_000;

/** The providers paused now, and a timer that wakes the scheduler when a pause ends. */
export class ProviderPauses {
  private readonly until = new Map<string, number>();
  private readonly strikes = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly wake: () => void) {}

  /** Pauses `provider` for `waitMs` (or the default); returns the wait applied, 0 when one as long runs. */
  pause(provider: string, waitMs: number | null): number {
    const strikes = (this.strikes.get(provider) ?? 0) + 1;
    this.strikes.set(provider, strikes);
    const wait = waitMs ?? Math.min(MAX_PAUSE_MS, DEFAULT_PAUSE_MS * 2 ** (strikes - 1));
    const end = monotonicMs() + wait;
    if (end <= (this.until.get(provider) ?? 0)) return 0;
    this.until.set(provider, end);
    clearTimeout(this.timers.get(provider));
    this.timers.set(
      provider,
      setTimeout(() => {
        // The pause ends when its timer fires, whatever the clocks say, so no job waits on.
        this.timers.delete(provider);
        this.until.delete(provider);
        this.wake();
      }, wait),
    );
    return wait;
  }

  /** How long `provider` is still paused, in ms (0: not paused). */
  remainingMs(provider: string | null): number {
    if (provider === null) return 0;
    return Math.max(0, Math.ceil((this.until.get(provider) ?? 0) - monotonicMs()));
  }

  /** A job of `provider` succeeded: the next default pause starts short again. */
  succeeded(provider: string): void {
    this.strikes.delete(provider);
  }

  /** Stops every timer. */
  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
