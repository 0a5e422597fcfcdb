// The group's cancel and force signals, as parex's own: every running job, waiting retry and
// staggered start listens to them once, so a group of more than 10 jobs has more than 10
// listeners by design. Node warns past 10 (MaxListenersExceededWarning, even under -q); parex's
// own signals have no such limit, and the caller's signal gets exactly one listener each.
import { setMaxListeners } from 'node:events';

/** Signals that follow the caller's ones, for the jobs to share. */
export interface SharedSignals {
  readonly signal: AbortSignal | null;
  readonly forceSignal: AbortSignal | null;
  /** Stops following the caller's signals (at the end of the run). */
  dispose(): void;
}

/** parex's own copies of `signal` and `forceSignal` (null stays null). */
export function shareSignals(
  signal: AbortSignal | null,
  forceSignal: AbortSignal | null,
): SharedSignals {
  const disposers: (() => void)[] = [];
  const follow = (outer: AbortSignal | null): AbortSignal | null => {
    if (outer === null) return null;
    const inner = new AbortController();
    setMaxListeners(0, inner.signal);
    const abort = () => inner.abort(outer.reason);
    if (outer.aborted) abort();
    else {
      outer.addEventListener('abort', abort, { once: true });
      disposers.push(() => outer.removeEventListener('abort', abort));
    }
    return inner.signal;
  };
  return {
    signal: follow(signal),
    forceSignal: follow(forceSignal),
    dispose: () => {
      for (const dispose of disposers) dispose();
    },
  };
}
