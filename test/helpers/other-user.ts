// A pool worker that cannot see the coordinator's files, as on another machine: a real
// redis-server and one `parex worker` run as another user (setpriv), while the coordinator's
// temporary directories are root's, mode 0700. The worker runs the fake agents with its own
// home, scripts and invocation log.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { FIXTURES } from './paths.js';
import { startRedis, startWorker, type TestRedis, type TestWorker } from './pool.js';

/** Why a worker cannot run as another user here (a test skips), or null. */
function cannotRunAs(launch: readonly string[]): string | null {
  if (process.getuid?.() !== 0) return 'running a worker as another user needs root';
  return spawnSync(launch[0] ?? '', [...launch.slice(1), 'true']).status !== 0
    ? 'setpriv cannot run a process as another user here'
    : null;
}

/** A worker of another user: its files under `root` (world-readable), its own home. */
export interface HiddenWorker {
  readonly redis: TestRedis;
  readonly worker: TestWorker;
  readonly root: string;
  /** The worker's --workdir. */
  readonly workdir: string;
  /** Every invocation the worker's fake agents logged. */
  invocations(): Record<string, unknown>[];
  stop(): Promise<void>;
}

/** The uid (from `base`, per test process) no one else uses, and why it cannot be used. */
export function otherUser(base: number) {
  const uid = base + (process.pid % 1000);
  const launch = ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups'];
  return { uid, launch, cannot: cannotRunAs(launch) };
}

/** Starts Redis and worker `name` as `user`; `setUp(home, scripts)` writes the worker's own
 * configuration and the fakes' scripts (per phase) first. */
export async function hiddenWorker(
  user: ReturnType<typeof otherUser>,
  name: string,
  setUp: (home: string, scripts: string) => void,
  extra: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): Promise<HiddenWorker> {
  const root = mkdtempSync(path.join(tmpdir(), `parex-${name}-`));
  chmodSync(root, 0o755);
  const [home, scripts, workdir] = ['home', 'scripts', name].map((dir) => path.join(root, dir));
  for (const dir of [home, scripts, workdir] as string[]) mkdirSync(dir);
  const agentLog = path.join(root, 'agents.jsonl');
  writeFileSync(agentLog, '');
  setUp(home as string, scripts as string);
  const own = (file: string): void => {
    chownSync(file, user.uid, user.uid);
    if (file === agentLog) return;
    for (const entry of readdirSync(file, { withFileTypes: true })) {
      if (entry.isDirectory()) own(path.join(file, entry.name));
    }
  };
  for (const file of [home as string, workdir as string, agentLog]) own(file);
  const redis = await startRedis();
  const worker = await startWorker(
    redis.url,
    name,
    root,
    extra,
    {
      PATH: `${FIXTURES}/bin:${process.env.PATH ?? ''}`,
      HOME: home as string,
      FAKE_AGENT_SCRIPT_DIR: scripts as string,
      FAKE_AGENT_LOG: agentLog,
      ...env,
    },
    [],
    user.launch,
  );
  return {
    redis,
    worker,
    root,
    workdir: workdir as string,
    invocations: () =>
      readFileSync(agentLog, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    stop: async () => {
      await worker.stop();
      await redis.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
