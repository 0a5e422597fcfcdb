// A worker's SIGTERM and SIGINT, caught by one handler for its whole life: installed before it
// says it is ready (a signal sent on seeing that line must find it), and never removed, so that
// no moment between the first signal and the second leaves the default action (death, with jobs
// not handed back) in place.

const STOPPING: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/** The first stop signal (`first`) and a way to be told of every later one (`onAgain`). */
export interface WorkerSignals {
  readonly first: Promise<NodeJS.Signals>;
  onAgain(act: () => void): void;
}

/** Installs the worker's handler of SIGTERM and SIGINT. */
export function catchWorkerSignals(): WorkerSignals {
  let tellFirst: (signal: NodeJS.Signals) => void = () => {};
  const first = new Promise<NodeJS.Signals>((resolve) => {
    tellFirst = resolve;
  });
  let received = 0;
  let again = () => {};
  const handler = (signal: NodeJS.Signals) => {
    received += 1;
    if (received === 1) tellFirst(signal);
    else again();
  };
  for (const signal of STOPPING) process.on(signal, handler);
  return {
    first,
    onAgain: (act) => {
      again = act;
    },
  };
}
