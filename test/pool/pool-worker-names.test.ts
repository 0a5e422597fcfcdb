// A worker's name is its own in the pool: a second live worker of one name is refused (exit 2,
// nothing made, nothing taken); a clean stop frees the name at once, a SIGKILL on this host at
// once too (its pid is gone), and a holder elsewhere that stopped refreshing within its TTL.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Redis } from 'ioredis';

import { runCli } from '../helpers/cli.js';
import { parexEnv, startCli, waitForStderrCount } from '../helpers/exec.js';
import { writeWorkflow } from '../helpers/faults.js';
import { filePool } from '../helpers/pool.js';
import { tempDir } from '../helpers/tmp.js';

const pool = filePool('parex-pool-names', { before, after });

async function withRedis<T>(use: (client: Redis) => Promise<T>): Promise<T> {
  const { Redis } = await import('ioredis');
  const client = new Redis({ host: '127.0.0.1', port: pool.redis.port, lazyConnect: true });
  await client.connect();
  try {
    return await use(client);
  } finally {
    client.disconnect();
  }
}

/** `parex worker --name NAME` (serving `tags` too) in a workdir that does not exist yet;
 * resolves with how it ended. */
async function secondWorker(name: string, dir: string, tags: readonly string[] = []) {
  const workdir = path.join(dir, 'not-made');
  const run = await runCli(
    ['worker', '--redis', pool.redis.url, '--name', name, '--workdir', workdir, ...tags],
    { cwd: dir, env: parexEnv(null), limitMs: 20_000 },
  );
  return { ...run, workdirMade: existsSync(workdir) };
}

test('a second worker of a live name exits 2 before taking anything; a clean stop frees it', async (t) => {
  const first = await pool.worker('twin', 1);
  const [held, ttl] = await withRedis((client) =>
    Promise.all([client.get('parex-run:workers:twin'), client.pttl('parex-run:workers:twin')]),
  );
  const holder = JSON.parse(held ?? '{}') as { host?: string; pid?: number };
  assert.equal(holder.pid, first.child.pid);
  assert.equal(holder.host, hostname());
  assert.ok(ttl > 0 && ttl <= 15_000, `the name's TTL: ${ttl}`);
  // A job waits in a queue only the second worker would serve: it must not take it.
  const dir = tempDir(t);
  writeWorkflow(dir, [
    'name: waiting',
    'defaults: { agent: command }',
    'dirs: { logs: logs }',
    'phases:',
    '  - { id: wait, command: "echo ran", runs_on: [twinq] }',
  ]);
  const coordinator = startCli(['run', 'flow.yaml', '--redis', pool.redis.url], {
    cwd: dir,
    env: parexEnv(null),
  });
  await waitForStderrCount(coordinator.child, 'no worker serves the queue "twinq" yet', 1);
  const second = await secondWorker('twin', tempDir(t), ['--tags', 'twinq']);
  assert.equal(second.code, 2, second.stderr);
  assert.match(
    second.stderr,
    new RegExp(`worker twin is already running on ${hostname()} \\(pid ${first.child.pid}\\)`),
  );
  assert.match(second.stderr, /give this one another --name, or stop that one/);
  assert.doesNotMatch(second.stderr, /\[parex\] worker twin on /);
  assert.equal(second.workdirMade, false, 'the refused worker made its --workdir');
  coordinator.child.kill('SIGINT');
  const stopped = await coordinator.done;
  assert.doesNotMatch(stopped.stderr, /\[parex\] started/);
  assert.equal(existsSync(path.join(dir, 'logs', 'wait.log')), false, 'the waiting job ran');
  // The first still holds it; stopped cleanly, it deletes its key, and the name is free at once.
  assert.equal(await withRedis((client) => client.get('parex-run:workers:twin')), held);
  assert.equal(await first.stop(), 0);
  assert.equal(await withRedis((client) => client.get('parex-run:workers:twin')), null);
  const again = await pool.worker('twin', 1);
  assert.match(again.output(), /\[parex\] worker twin on /);
});

test('a worker killed with SIGKILL frees its name: at once on its host, by the TTL elsewhere', async (t) => {
  const killed = await pool.worker('phoenix', 1);
  killed.child.kill('SIGKILL');
  await new Promise((resolve) => killed.child.once('exit', resolve));
  // Its key is still there (nothing deleted it), but its process is gone: a restart takes it.
  assert.notEqual(await withRedis((client) => client.get('parex-run:workers:phoenix')), null);
  const restarted = await pool.worker('phoenix', 1);
  assert.match(restarted.output(), /\[parex\] worker phoenix on /);
  // A holder on another machine that stopped refreshing (killed): refused until its key lapses.
  const far = JSON.stringify({ token: 't', host: 'far.example', pid: 4242, since: Date.now() });
  await withRedis((client) => client.set('parex-run:workers:far', far, 'PX', 3000));
  const refused = await secondWorker('far', tempDir(t));
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /worker far is already running on far\.example \(pid 4242\)/);
  for (let waited = 0; await withRedis((client) => client.exists('parex-run:workers:far')); ) {
    assert.ok(waited < 10_000, 'the name key did not lapse');
    await sleep(200);
    waited += 200;
  }
  const taken = await pool.worker('far', 1);
  assert.match(taken.output(), /\[parex\] worker far on /);
});

test('a live worker renews its name well within the TTL', async () => {
  // The name's TTL is the worker's lock duration: 3 s here, renewed every second.
  const live = await pool.worker('steady', 1, { env: { PAREX_POOL_LOCK_MS: '3000' } });
  await sleep(7000);
  const [held, ttl] = await withRedis((client) =>
    Promise.all([client.get('parex-run:workers:steady'), client.pttl('parex-run:workers:steady')]),
  );
  assert.equal((JSON.parse(held ?? '{}') as { pid?: number }).pid, live.child.pid);
  assert.ok(ttl > 0 && ttl <= 3000, `the name's TTL: ${ttl}`);
});

test('parex worker --help tells the name rule and its exit status', async (t) => {
  const help = await runCli(['worker', '--help'], { cwd: tempDir(t) });
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /a second live worker of that name is refused/);
  assert.match(help.stdout, /or the name held by another live worker/);
});
