// How a job's process is started: through the fork server when parex has nothing to write to the
// job's stdin (the fork then happens in a small process and parex never waits for an exec),
// otherwise with Node's spawn.
import { ForkServer } from './fork-server/server.js';
import { type JobChild, type JobLaunch, type SpawnFunction, spawnWithLog } from './spawn.js';

/** Starts jobs for one group; `close` lets its fork server, if any, exit. */
export interface Launcher {
  launch(request: JobLaunch): JobChild;
  close(): void;
  /** Whether it stops the run's processes if parex dies (the fork server does), so that the
   * run needs no other watchdog. */
  readonly watchesRun: boolean;
}

/** A launcher with Node's spawn only (or the one given, in tests). */
export function directLauncher(spawnFunction?: SpawnFunction): Launcher {
  return {
    launch: (request) => spawnWithLog(request, spawnFunction),
    close: () => {},
    watchesRun: false,
  };
}

/** A launcher whose fork server (also the watchdog of run `runId`) starts now, so that its
 * start-up is not any job's; Node's spawn for jobs with input, and for every job when there is
 * no perl. */
export function forkServerLauncher(runId: string): Launcher {
  const server = ForkServer.start(runId);
  return {
    launch: (request) =>
      request.input === null && server !== null ? server.launch(request) : spawnWithLog(request),
    close: () => server?.close(),
    watchesRun: server !== null,
  };
}
