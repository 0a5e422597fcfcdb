// A running fork server: one small Perl process that starts jobs for parex and reports when
// each one started and how it ended.
import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { constants } from 'node:os';

import { explainOpenError, regularOpenFlags, unsafeFileError } from '../../files/regular-file.js';
import { findOnPath } from '../find-on-path.js';
import { RUN_MARKER } from '../terminate/sweep.js';
import {
  decodeReply,
  encodeGroupRequest,
  encodeRequest,
  FINISHED_REQUEST,
  type LaunchRequest,
  type Reply,
} from './protocol.js';
import { FORK_SERVER_SCRIPT } from './script.js';

/** A job started by the fork server; emits 'spawn', 'error' and 'exit' as a ChildProcess does. */
export class ServedChild extends EventEmitter {
  /** Set when 'spawn' is emitted. */
  pid: number | undefined = undefined;
  /** How its start went, once the server said; told in launch order (see ForkServer#flush). */
  start: { readonly pid: number } | { readonly error: Error } | null = null;
  /** An end that came before the start could be told. */
  end: readonly [number | null, NodeJS.Signals | null] | null = null;
  /** When the server reaped it (monotonic ms), set before 'exit'. */
  exitedAtMs: number | undefined = undefined;
  constructor(readonly request: LaunchRequest) {
    super();
  }
}

/** The longest a forget request waits for a request to go with. */
const FORGET_MS = 50;
/** Errno names by number; the first name of a number wins (EAGAIN, not EWOULDBLOCK). */
const ERRNO_NAMES = new Map<number, string>();
for (const [name, number] of Object.entries(constants.errno)) {
  if (!ERRNO_NAMES.has(number)) ERRNO_NAMES.set(number, name);
}

/** Starts jobs through one Perl process; `start` returns null when there is no perl to run. */
export class ForkServer {
  readonly #server: ChildProcess;
  readonly #children = new Map<number, ServedChild>();
  /** Launched children whose start is not told yet, oldest first. */
  readonly #untold: ServedChild[] = [];
  #nextId = 1;
  #partialLine = '';
  #lastStderr = '';
  #goneBecause: string | null = null;
  /** Forget requests not yet written (see forget). */
  #forgetting = '';
  #forgetTimer: NodeJS.Timeout | undefined = undefined;
  /** Resolves with null once the server runs, or with why it could not start. */
  readonly started: Promise<string | null>;

  /**
   * Starts the server, also the watchdog of run `runId`, or returns null when no `perl` is on
   * PATH.
   */
  static start(runId: string, pathVariable = process.env.PATH ?? ''): ForkServer | null {
    const perl = findOnPath('perl', pathVariable);
    return perl === null ? null : new ForkServer(perl, runId);
  }

  private constructor(perl: string, runId: string) {
    const watchdogArgs = [
      'parex-watchdog',
      runId,
      RUN_MARKER,
      String(regularOpenFlags('truncate')),
      String(clockSyscall()),
    ];
    this.#server = spawn(perl, ['-e', FORK_SERVER_SCRIPT, '--', ...watchdogArgs], {
      detached: true, // its own session: Ctrl-C and hang-ups go to parex, which decides
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {},
    });
    this.started = new Promise((resolve) => {
      this.#server.once('spawn', () => resolve(null));
      this.#server.once('error', (error) => resolve(error.message));
    });
    this.#server.on('error', (error) => this.#fail(`it could not start: ${error.message}`));
    this.#server.on('exit', (code, signal) =>
      this.#fail(`it exited (${signal ?? `exit ${code}`})`),
    );
    this.#server.stdin?.on('error', () => {}); // its end is reported by 'exit'
    this.#server.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.#read(chunk));
    this.#server.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#lastStderr = (this.#lastStderr + chunk).slice(-500);
    });
    this.#hold(false);
  }

  /** Asks the server to start a job; throws a TypeError for a field with a NUL byte. */
  launch(request: LaunchRequest): ServedChild {
    const child = new ServedChild(request);
    if (this.#goneBecause !== null) {
      process.nextTick(() => child.emit('error', new Error(this.#goneBecause ?? '')));
      return child;
    }
    const id = this.#nextId++;
    this.#write(encodeRequest(id, request));
    this.#children.set(id, child);
    this.#untold.push(child);
    this.#hold(true);
    return child;
  }

  /** Has the server stop process group `pgid` too if parex dies (a job parex spawned). */
  watch(pgid: number): void {
    if (this.#goneBecause === null) this.#write(encodeGroupRequest('w', pgid));
  }

  /** Stops watching a group parex is done with (one of its jobs, or one from `watch`). */
  forget(pgid: number): void {
    if (this.#goneBecause !== null) return;
    // It goes with the next request, or alone within FORGET_MS: a write (and a wake-up of the
    // server) fewer per job when jobs follow one another.
    this.#forgetting += encodeGroupRequest('f', pgid);
    this.#forgetTimer ??= setTimeout(() => this.#write(''), FORGET_MS).unref();
  }

  /** Tells the server the run is over, so that it exits without stopping anything. */
  close(): void {
    this.#server.stdin?.end(this.#taken(FINISHED_REQUEST));
  }

  /** Writes `request` to the server, after the groups it is still to forget. */
  #write(request: string): void {
    const text = this.#taken(request);
    if (text !== '') this.#server.stdin?.write(text);
  }

  /** `request` after the forgets still to send, which are then sent. */
  #taken(request: string): string {
    clearTimeout(this.#forgetTimer);
    this.#forgetTimer = undefined;
    const text = this.#forgetting + request;
    this.#forgetting = '';
    return text;
  }

  #read(chunk: string): void {
    const lines = (this.#partialLine + chunk).split('\n');
    this.#partialLine = lines.pop() ?? '';
    for (const line of lines) {
      const reply = decodeReply(line);
      if (reply !== null) this.#deliver(reply);
    }
  }

  #deliver(reply: Reply): void {
    const child = this.#children.get(reply.id);
    if (child === undefined) return;
    if (reply.kind === 'started') child.start = { pid: reply.pid };
    else {
      this.#children.delete(reply.id);
      this.#hold(this.#children.size > 0);
      if (reply.kind === 'failed') child.start = { error: launchError(child.request, reply) };
      else {
        child.exitedAtMs = reply.at ?? undefined;
        if (child.pid === undefined) child.end = [reply.code, reply.signal];
        else child.emit('exit', reply.code, reply.signal);
      }
    }
    this.#flush();
  }

  /** Tells starts in launch order, so that start lines keep the order of the jobs. */
  #flush(): void {
    for (let child = this.#untold[0]; child?.start != null; child = this.#untold[0]) {
      this.#untold.shift();
      if ('error' in child.start) {
        child.emit('error', child.start.error);
        continue;
      }
      child.pid = child.start.pid;
      child.emit('spawn');
      if (child.end !== null) child.emit('exit', ...child.end);
    }
  }

  #fail(why: string): void {
    if (this.#goneBecause !== null) return;
    const stderr = this.#lastStderr.trim();
    this.#goneBecause =
      `the fork server is gone: ${why}${stderr === '' ? '' : `: ${stderr}`}` +
      ' (PAREX_FORK_SERVER=0 starts jobs without it)';
    const gone = new Error(this.#goneBecause);
    const running = [...this.#children.values()].filter((child) => child.pid !== undefined);
    for (const child of this.#untold) {
      if (child.start === null) child.start = { error: gone };
      else child.end ??= [null, null]; // started, but its end will never be known
    }
    this.#children.clear();
    this.#flush();
    for (const child of running) child.emit('exit', null, null);
  }

  /** Keeps parex's event loop alive while jobs are out, and only then. */
  #hold(jobsOut: boolean): void {
    const { stdin, stdout, stderr } = this.#server;
    for (const handle of [this.#server, stdin, stdout, stderr] as (
      | Socket
      | ChildProcess
      | null
    )[]) {
      if (jobsOut) handle?.ref();
      else handle?.unref();
    }
  }
}

/** The number of clock_gettime on this platform, where the server can call it; else 0. */
function clockSyscall(): number {
  if (process.platform !== 'linux') return 0;
  if (process.arch === 'x64') return 228;
  return ['arm64', 'riscv64', 'loong64'].includes(process.arch) ? 113 : 0;
}

function launchError(request: LaunchRequest, reply: Reply & { kind: 'failed' }): Error {
  if (reply.stage === 'regular' && reply.errno === 0) {
    return unsafeFileError(request.logPath, 'not a regular file', 'ENOTREG');
  }
  const code = ERRNO_NAMES.get(reply.errno) ?? `errno ${reply.errno}`;
  const [file] = request.argv;
  const onLog = reply.stage === 'open' || reply.stage === 'regular';
  const target = reply.stage === 'chdir' ? request.cwd : onLog ? request.logPath : file;
  const syscall = reply.stage === 'exec' ? `spawn ${file}` : onLog ? 'open' : reply.stage;
  const error = Object.assign(new Error(`${syscall} ${target} ${code}`), {
    code,
    errno: -reply.errno,
    syscall,
    path: target,
    spawnargs: request.argv.slice(1),
  });
  return onLog ? explainOpenError(target, error) : error;
}
