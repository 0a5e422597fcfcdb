// parex's own SIGINT, SIGTERM and SIGHUP: the first stops every job the way a timeout would,
// a second one skips the grace and kills at once.

const HANDLED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

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
      notify(
        `[parex] ${signal} received: stopping every job (SIGTERM, then SIGKILL after ${graceSec}s); send it again to kill at once`,
      );
      cancel.abort(signal);
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
