// The run's own stop: the engine (fail-fast, later budgets) can stop a whole run the way the
// caller's abort signal does, the running jobs by their stop ladder and nothing more started,
// and say why.
import { setMaxListeners } from 'node:events';

import type { GroupHalt } from '../model/result.js';

/** The caller's cancel signal joined with the engine's own reasons to stop the run. */
export class RunHalt {
  private readonly controller = new AbortController();
  private why: GroupHalt | null = null;
  private failure: string | null = null;
  /** Aborted when the caller cancels or the engine halts: what jobs and the scheduler watch. */
  readonly signal: AbortSignal;

  constructor(cancel: AbortSignal | null) {
    this.signal = cancel === null ? this.controller.signal : joined(cancel, this.controller.signal);
    // Every running job listens to it: -j 64 is 64 listeners, and no leak.
    setMaxListeners(0, this.signal);
  }

  /** Stops the run for `why`; only the first reason counts. */
  halt(why: GroupHalt): void {
    if (this.signal.aborted) return;
    this.why = why;
    this.controller.abort('halt');
  }

  /** Stops the run because parex itself failed (a manifest write, an onEvent callback that
   * threw): the first failure is the run's error, told once to `warn`. */
  fail(message: string, warn: (message: string) => void): void {
    if (this.failure !== null) return;
    this.failure = message;
    warn(`[parex] error: ${message}: stopping every job`);
    this.controller.abort('fault');
  }

  /** The failure that stopped the run, naming the file and the error; null when none did. */
  get error(): string | null {
    return this.failure;
  }

  /** Why the engine stopped the run, or null (not stopped, or stopped by the caller). */
  get cause(): GroupHalt | null {
    return this.why;
  }
}

/** A signal aborted when either of two is (AbortSignal.any needs Node 20.3). */
function joined(a: AbortSignal, b: AbortSignal): AbortSignal {
  const both = new AbortController();
  const abort = (from: AbortSignal) => () => both.abort(from.reason);
  if (a.aborted) both.abort(a.reason);
  else if (b.aborted) both.abort(b.reason);
  else {
    a.addEventListener('abort', abort(a), { once: true });
    b.addEventListener('abort', abort(b), { once: true });
  }
  return both.signal;
}
