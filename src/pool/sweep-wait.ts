// A pooled job's escapee sweep, told after its end, both sides: the worker sends the end at once (its slot
// takes the next job) and the sweep's result as its own `swept` entry; the coordinator waits for
// that entry before the completion line, within the bound the end names and a margin. A worker
// lost meanwhile leaves the sweep unknown, and the completion line says so.
import type { SweptProcesses } from '../process/terminate/sweep.js';
import type { RedisClient } from './modules.js';
import type { RemoteOutcome } from './protocol.js';
import { sweepMarginMs } from './timing.js';

/** What the sweep stopped, or why that is not known. */
export type SweepResult = { readonly swept: SweptProcesses } | { readonly unknown: string };

const NOTHING: SweptProcesses = { count: 0, signals: [] };

/** One attempt's wait for its sweep's result. */
export class SweepWait {
  private told: SweptProcesses | null = null;
  private settle: ((result: SweepResult) => void) | null = null;
  private timer: NodeJS.Timeout | undefined;

  /** True while the end is in hand and its sweep's result is awaited. */
  get waiting(): boolean {
    return this.settle !== null;
  }

  /** The worker's `swept` entry (its JSON). */
  tell(json: string): void {
    const value = JSON.parse(json) as Partial<SweptProcesses>;
    this.told = { count: Number(value.count ?? 0), signals: value.signals ?? [] };
    this.done({ swept: this.told });
  }

  /** Resolves with the sweep of the attempt whose end is `remote` (told by `worker`). */
  wait(remote: Partial<RemoteOutcome>, worker: string): Promise<SweepResult> {
    // Told with the end (a worker before the `swept` entry), or nothing to wait for.
    if (remote.sweptWithinMs === undefined)
      return Promise.resolve({ swept: remote.swept ?? NOTHING });
    if (this.told !== null) return Promise.resolve({ swept: this.told });
    const limitMs = remote.sweptWithinMs + sweepMarginMs();
    return new Promise((resolve) => {
      this.settle = resolve;
      this.timer = setTimeout(
        () =>
          this.giveUp(`worker ${worker} did not tell its escapee sweep within ${limitMs / 1000}s`),
        limitMs,
      );
    });
  }

  /** Stops waiting (the worker or Redis is lost): the sweep is unknown, for `why`. */
  giveUp(why: string): void {
    this.done({ unknown: why });
  }

  private done(result: SweepResult): void {
    const settle = this.settle;
    if (settle === null) return;
    this.settle = null;
    clearTimeout(this.timer);
    settle(result);
  }
}

/** How long a worker's sweep of an ended job may take: the sweep running when it ended, then its
 * own, each its grace after SIGTERM at the most. */
export function sweepBoundMs(graceMs: number): number {
  return 2 * graceMs;
}

/** Tells a job's sweep after its end, on the job's stream. */
export async function sendSwept(client: RedisClient, stream: string, swept: SweptProcesses) {
  // NOMKSTREAM: a coordinator that stopped waiting has deleted the stream; it stays deleted.
  const told = { count: swept.count, signals: swept.signals };
  await client.xadd(stream, 'NOMKSTREAM', '*', 't', 'swept', 'r', JSON.stringify(told));
}
