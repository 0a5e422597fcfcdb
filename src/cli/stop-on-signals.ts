// parex's own SIGINT, SIGTERM and SIGHUP: the first stops every job the way a timeout would,
// a second one skips the grace and kills at once.

const HANDLED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** The longest grace after SIGHUP, so that every job is gone within 2 seconds of a hang-up. */
const HANGUP_GRACE_SEC = 1;

/** Signals for a run: `cancel` aborts on the first signal, `force` on the second; call `dispose` after. */
export interface SignalControl {
  readonly cancel: AbortSignal;
  readonly force: AbortSignal;
  dispose(): void;
}

/** Installs the handlers; `notify` is told what is happening, for the user. */
export function stopOnSignals(notify: (message: string) => void, graceSec: number): SignalControl {
  const cancel = new AbortController();
  const force = new AbortController();
  const handler = (signal: NodeJS.Signals) => {
    if (!cancel.signal.aborted) {
      // A hang-up means the terminal is gone: no one is left to wait for a long grace.
      const grace = signal === 'SIGHUP' ? Math.min(graceSec, HANGUP_GRACE_SEC) : graceSec;
      notify(
        `[parex] ${signal} received: stopping every job (SIGTERM, then SIGKILL after ${grace}s); send it again to kill at once`,
      );
      cancel.abort(signal);
      if (grace < graceSec) setTimeout(() => force.abort(signal), grace * 1000).unref();
    } else if (!force.signal.aborted) {
      notify(`[parex] ${signal} received again: killing every job now`);
      force.abort(signal);
    }
  };
  for (const signal of HANDLED) process.on(signal, handler);
  return {
    cancel: cancel.signal,
    force: force.signal,
    dispose: () => {
      for (const signal of HANDLED) process.off(signal, handler);
    },
  };
}
