// A real pool for tests: a throw-away redis-server on a free loopback port (its own directory,
// no persistence), and `parex worker` processes, each with its own --workdir; all stopped after.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { parexEnv } from './exec.js';
import { CLI_PATH, FIXTURES } from './paths.js';

/** Debian's redis-server, which .ci/run installs when it is missing. */
export const REDIS_SERVER = '/usr/bin/redis-server';

/** A running redis-server. */
export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** Stops it (SIGTERM, then SIGKILL); resolves once it is gone. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (free when asked; taken again by whoever binds first). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

/** Starts redis-server on a free port with its own directory and no persistence. A free port
 * can be taken by another process before redis binds it: then redis exits, or someone else
 * answers there; either way it is tried again on another port (unless `port` was given). */
export async function startRedis(port?: number, password?: string): Promise<TestRedis> {
  assert.ok(existsSync(REDIS_SERVER), `${REDIS_SERVER} is missing: apt-get install redis-server`);
  for (let tries = 1; ; tries += 1) {
    const started = await tryRedis(port ?? (await freePort()), password);
    if (started !== null) return started;
    if (port !== undefined || tries === 5) throw new Error('redis-server did not start: see above');
  }
}

/** One redis-server on `port` (with `requirepass` when a password is given); null when the
 * one that answers there is not it. */
async function tryRedis(port: number, password?: string): Promise<TestRedis | null> {
  const dir = mkdtempSync(path.join(tmpdir(), 'parex-redis-'));
  const auth = password === undefined ? [] : ['--requirepass', password];
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...auth],
    { stdio: 'ignore', cwd: dir },
  );
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  await waitForPort(port, 10_000);
  if ((await serverPid(port, password)) !== child.pid) {
    await stop();
    return null;
  }
  const user = password === undefined ? '' : `:${encodeURIComponent(password)}@`;
  return { port, url: `redis://${user}127.0.0.1:${port}`, stop };
}

/** Resolves once something listens on `port` of 127.0.0.1; fails after `limitMs`. */
async function waitForPort(port: number, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`redis-server did not listen on ${port} within ${limitMs} ms`);
}

/** The process id of the redis-server that answers on `port` (INFO server), or null. */
async function serverPid(port: number, password?: string): Promise<number | null> {
  const socket = new Socket();
  let reply = '';
  try {
    socket.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    if (password !== undefined) socket.write(`AUTH ${password}\r\n`);
    socket.write('INFO server\r\n');
    for await (const chunk of socket) {
      reply += String(chunk);
      const found = /process_id:(\d+)\r\n/.exec(reply);
      if (found !== null) return Number(found[1]);
      if (reply.length > 65_536) break;
    }
  } catch {
    // Not a redis, or gone: not ours.
  } finally {
    socket.destroy();
  }
  return null;
}

/** A running `parex worker`. */
export interface TestWorker {
  readonly name: string;
  readonly workdir: string;
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM, then waits for its exit (SIGKILL after `limitMs`). */
  stop(limitMs?: number): Promise<number | null>;
}

/** Starts `parex worker --redis URL --name NAME --workdir DIR ...extra` (node run with `nodeArgs`,
 * e.g. --cpu-prof, under `launch`, e.g. setpriv as another user); resolves once it serves. */
export async function startWorker(
  redisUrl: string,
  name: string,
  root: string,
  extra: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
  nodeArgs: readonly string[] = [],
  launch: readonly string[] = [],
): Promise<TestWorker> {
  const workdir = path.join(root, name);
  mkdirSync(workdir, { recursive: true });
  const child = spawn(
    launch[0] ?? process.execPath,
    [
      ...launch.slice(1),
      ...(launch.length === 0 ? [] : [process.execPath]),
      ...nodeArgs,
      CLI_PATH,
      'worker',
      '--redis',
      redisUrl,
      '--name',
      name,
      '--workdir',
      workdir,
      ...extra,
    ],
    {
      cwd: workdir,
      env: { ...process.env, ...parexEnv(null), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let seen = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
  });
  const exited = once(child, 'exit');
  const deadline = Date.now() + 15_000;
  while (!seen.includes(`[parex] worker ${name} on `)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`worker ${name} did not start:\n${seen}`);
    }
    await sleep(25);
  }
  return {
    name,
    workdir,
    child,
    output: () => seen,
    stop: async (limitMs = 20_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
      await exited;
      clearTimeout(timer);
      return child.exitCode;
    },
  };
}

/** The pool of one test file: a redis-server and a scratch root made before its tests, workers
 * started by the tests (each with its own --workdir under the root), all stopped after. */
export interface FilePool {
  readonly redis: TestRedis;
  readonly root: string;
  /** Starts `parex worker` NAME with --concurrency N (and `extra` flags), stopped after the file. */
  worker(
    name: string,
    concurrency: number,
    options?: { extra?: readonly string[]; env?: Readonly<Record<string, string>>; url?: string },
  ): Promise<TestWorker>;
}

/** Registers the before/after hooks of a file's pool (node:test), `setup` (its first workers)
 * inside the same before hook; `env` goes to every worker. Use its fields in tests. */
export function filePool(
  prefix: string,
  hooks: { before: (fn: () => Promise<void>) => void; after: (fn: () => Promise<void>) => void },
  env: Readonly<Record<string, string>> = {},
  setup: (pool: FilePool) => Promise<void> = async () => {},
): FilePool {
  const started: TestWorker[] = [];
  let redis: TestRedis | null = null;
  let root = '';
  hooks.before(async () => {
    redis = await startRedis();
    root = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
    await setup(pool);
  });
  hooks.after(async () => {
    await Promise.all(started.map((worker) => worker.stop()));
    await redis?.stop();
    rmSync(root, { recursive: true, force: true });
  });
  const pool: FilePool = {
    get redis() {
      assert.ok(redis !== null, 'the pool starts before the tests');
      return redis;
    },
    get root() {
      return root;
    },
    worker: async (name, concurrency, options = {}) => {
      const url = options.url ?? (redis as TestRedis).url;
      const flags = ['--concurrency', String(concurrency), ...(options.extra ?? [])];
      const worker = await startWorker(url, name, root, flags, { ...env, ...options.env });
      started.push(worker);
      return worker;
    },
  };
  return pool;
}

/** What workers need to have the fake agent CLIs (test/fixtures/bin) installed. */
export const AGENT_WORKER_ENV: Readonly<Record<string, string>> = {
  PATH: `${FIXTURES}/bin:${process.env.PATH ?? ''}`,
};

/** A file's pool of three workers, w1 to w3 of 4 slots each, with the fake agent CLIs
 * installed; `workers()` lists them once the pool has started. */
export function agentWorkersPool(
  prefix: string,
  hooks: Parameters<typeof filePool>[1],
): { pool: FilePool; workers: () => readonly TestWorker[] } {
  let workers: TestWorker[] = [];
  const pool = filePool(prefix, hooks, AGENT_WORKER_ENV, async (started) => {
    workers = await Promise.all(['w1', 'w2', 'w3'].map((name) => started.worker(name, 4)));
  });
  return { pool, workers: () => workers };
}

/** `parex exec --redis URL` with the test marker passed to the workers, `flags`, logs in
 * `logs/`, and `commands`. */
export function poolExec(
  url: string,
  flags: readonly string[],
  ...commands: readonly string[]
): string[] {
  return [
    'exec',
    '--redis',
    url,
    '--pass-env',
    'PAREX_TEST_MARKER',
    ...flags,
    '--log-dir',
    'logs',
    '--',
    ...commands,
  ];
}
