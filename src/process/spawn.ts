// Starting a job with Node's spawn: its own session and process group, stdin from /dev/null (or a
// prompt, then EOF), stdout and stderr straight into its log file, which the child writes itself.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync } from 'node:fs';

import { openRegular } from '../files/regular-file.js';
import type { LaunchRequest } from './fork-server/protocol.js';

/** The spawn function; a parameter so that tests can put another in its place. */
export type SpawnFunction = typeof spawn;

/** What a job is started with. */
export interface JobLaunch extends LaunchRequest {
  /** Written to stdin, which is then closed; null gives the job /dev/null as stdin. */
  readonly input: string | Uint8Array | null;
}

/** A started job, as much of a ChildProcess as parex uses (the fork server's children too). */
export interface JobChild {
  readonly pid?: number | undefined;
  /** When the process ended (monotonic ms) as its launcher saw it, if it says so: set before
   * 'exit' is emitted. */
  readonly exitedAtMs?: number | undefined;
  once(
    event: 'exit',
    listener: (code: number | null, signal: NodeJS.Signals | null) => void,
  ): unknown;
  once(event: 'spawn', listener: () => void): unknown;
  once(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Truncates the job's log (a regular file, never through a link), then spawns the job with the log as its stdout and stderr. */
export function spawnWithLog(request: JobLaunch, spawnFunction: SpawnFunction = spawn): JobChild {
  const logFd = openRegular(request.logPath, 'truncate');
  try {
    return spawnJob(request, logFd, spawnFunction);
  } finally {
    closeSync(logFd);
  }
}

/** Spawns a job as the leader of a new process group, so the group can be signalled as one. */
function spawnJob(request: JobLaunch, logFd: number, spawnFunction: SpawnFunction): ChildProcess {
  const [file, ...args] = request.argv;
  const child = spawnFunction(file, args, {
    cwd: request.cwd,
    env: request.env,
    detached: true,
    stdio: [request.input === null ? 'ignore' : 'pipe', logFd, logFd],
  });
  if (request.input !== null && child.stdin !== null) {
    // A job that exits without reading its input closes the pipe early; that is not an error of ours.
    child.stdin.on('error', () => {});
    child.stdin.end(request.input);
  }
  return child;
}
