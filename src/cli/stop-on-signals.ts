// parex's own SIGINT, SIGTERM and SIGHUP: the first stops every job the way a timeout would,
// a second one skips the grace and kills at once. A closed stdout (EPIPE) counts as SIGPIPE,
// and like a hang-up it shortens the grace: no one is left to wait for.

const HANDLED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** The longest grace after SIGHUP, so that every job is gone within 2 seconds of a hang-up. */
const HANGUP_GRACE_SEC = 1;

/** Signals for a run: `cancel` aborts on the first signal, `force` on the second; call `dispose` after. */
export interface SignalControl {
  readonly cancel: AbortSignal;
  readonly force: AbortSignal;
  /** Acts as if `signal` had been received, saying `what` happened instead of "SIG... received". */
  stopAs(signal: NodeJS.Signals, what: string): void;
  dispose(): void;
}

/** Signals after which no one is left to wait for a long grace. */
const GONE_SIGNALS: readonly NodeJS.Signals[] = ['SIGHUP', 'SIGPIPE'];

/** Installs the handlers; `notify` is told what is happening, for the user. */
export function stopOnSignals(notify: (message: string) => void, graceSec: number): SignalControl {
  const cancel = new AbortController();
  const force = new AbortController();
  const stopAs = (signal: NodeJS.Signals, what: string) => {
    if (!cancel.signal.aborted) {
      // A hang-up means the terminal is gone: no one is left to wait for a long grace.
      const gone = GONE_SIGNALS.includes(signal);
      const grace = gone ? Math.min(graceSec, HANGUP_GRACE_SEC) : graceSec;
      notify(
        `[parex] ${what}: stopping every job (SIGTERM, then SIGKILL after ${grace}s)${signal === 'SIGPIPE' ? '' : '; send it again to kill at once'}`,
      );
      cancel.abort(signal);
      if (grace < graceSec) setTimeout(() => force.abort(signal), grace * 1000).unref();
    } else if (!force.signal.aborted && signal !== 'SIGPIPE') {
      notify(`[parex] ${what} again: killing every job now`);
      force.abort(signal);
    }
  };
  const handler = (signal: NodeJS.Signals) => stopAs(signal, `${signal} received`);
  for (const signal of HANDLED) process.on(signal, handler);
  return {
    cancel: cancel.signal,
    force: force.signal,
    stopAs,
    dispose: () => {
      for (const signal of HANDLED) process.off(signal, handler);
    },
  };
}
