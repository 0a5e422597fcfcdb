// Starting a job: its own session and process group, stdin from /dev/null (or a prompt, then EOF),
// stdout and stderr straight into its log file, which the child writes itself.
import { type ChildProcess, spawn } from 'node:child_process';

/** The spawn function; a parameter so that tests can put another in its place. */
export type SpawnFunction = typeof spawn;

/** What a job is started with. */
export interface SpawnRequest {
  readonly argv: readonly [string, ...string[]];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** The open log file; the child gets it as stdout and stderr. */
  readonly logFd: number;
  /** Written to stdin, which is then closed; null gives the job /dev/null as stdin. */
  readonly input: string | Uint8Array | null;
}

/** Spawns a job as the leader of a new process group, so the group can be signalled as one. */
export function spawnJob(
  request: SpawnRequest,
  spawnFunction: SpawnFunction = spawn,
): ChildProcess {
  const [file, ...args] = request.argv;
  const child = spawnFunction(file, args, {
    cwd: request.cwd,
    env: request.env,
    detached: true,
    stdio: [request.input === null ? 'ignore' : 'pipe', request.logFd, request.logFd],
  });
  if (request.input !== null && child.stdin !== null) {
    // A job that exits without reading its input closes the pipe early; that is not an error of ours.
    child.stdin.on('error', () => {});
    child.stdin.end(request.input);
  }
  return child;
}
