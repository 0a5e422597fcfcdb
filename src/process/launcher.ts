// How a job's process is started, and who stops the run's processes if parex dies. Jobs that
// read no input go through the fork server (the fork happens in a small process and parex never
// waits for an exec), which is also the run's watchdog; jobs with input, and every job when there
// is no perl or no fork server is wanted, are spawned by Node, and their process groups are
// handed to the watchdog: the fork server when there is one, else a small shell process.
import { ForkServer } from './fork-server/server.js';
import { type JobChild, type JobLaunch, type SpawnFunction, spawnWithLog } from './spawn.js';
import { startWatchdog } from './watchdog.js';

/** Starts the jobs of one run and watches over them; `close` says the run ended normally. */
export interface Launcher {
  launch(request: JobLaunch): JobChild;
  /** Says that parex is done with the process group of a job from `launch` (it is gone, or
   * could not be stopped), so that the watchdog no longer stops it. */
  ended(child: JobChild): void;
  close(): void;
}

/** What stops the groups parex spawned itself if parex dies: the fork server or the watchdog. */
interface GroupWatcher {
  watch(pgid: number): void;
  forget(pgid: number): void;
}

/** A launcher with Node's spawn only (or the one given, in tests), and a shell watchdog. */
export function directLauncher(runId: string, spawnFunction?: SpawnFunction): Launcher {
  const watchdog = startWatchdog(runId);
  return {
    launch: (request) => watchedFromSpawn(spawnWithLog(request, spawnFunction), watchdog),
    ended: (child) => forgetGroup(child, watchdog),
    close: () => watchdog.release(),
  };
}

/** A launcher whose fork server (also the watchdog of run `runId`) starts now, so that its
 * start-up is not any job's; Node's spawn for jobs with input. Without perl, a direct launcher;
 * when perl cannot be started (a process limit), a direct launcher and a warning. */
export async function forkServerLauncher(
  runId: string,
  warn: (message: string) => void,
): Promise<Launcher> {
  let server: ForkServer | null;
  let failure: string | null;
  try {
    server = ForkServer.start(runId);
    failure = server === null ? null : await server.started;
  } catch (error) {
    server = null;
    failure = String(error);
  }
  if (failure !== null) {
    warn(
      `[parex] warning: the fork server could not start (${failure}): jobs start with Node's spawn`,
    );
  }
  if (server === null || failure !== null) return directLauncher(runId);
  return {
    // The server watches the groups of its own jobs from their start.
    launch: (request) =>
      request.input === null
        ? server.launch(request)
        : watchedFromSpawn(spawnWithLog(request), server),
    ended: (child) => forgetGroup(child, server),
    close: () => server.close(),
  };
}

function watchedFromSpawn(child: JobChild, watcher: GroupWatcher): JobChild {
  child.once('spawn', () => {
    if (child.pid !== undefined) watcher.watch(child.pid);
  });
  return child;
}

function forgetGroup(child: JobChild, watcher: GroupWatcher): void {
  if (child.pid !== undefined) watcher.forget(child.pid);
}
