// A closed stdout (EPIPE): outside a run, parex ends quietly (parex name | head); during a run,
// it is a cancel, as a hang-up is: the run stops its jobs, records them and exits 128+SIGPIPE.

let duringRun: (() => void) | null = null;
let closed = false;

/** Makes a closed stdout call `onClosed` until the returned function is called. */
export function stopWhenStdoutCloses(onClosed: () => void): () => void {
  duringRun = onClosed;
  return () => {
    duringRun = null;
  };
}

/** The handler of stdout's errors. */
export function onStdoutError(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE' || closed) return;
  closed = true;
  if (duringRun === null) process.exit();
  else duringRun();
}
