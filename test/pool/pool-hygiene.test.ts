// What a pooled run leaves in Redis and what its workers print: no key of a run kept for good
// (closed or SIGKILLed coordinator), no coordinator secret in a worker's output, and a worker's
// refusal told as the worker's, not as the program's.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { runCli } from '../helpers/cli.js';
import { endLines, parexEnv, runIdOf, startCli, waitForStderrCount } from '../helpers/exec.js';
import { wholeManifest, writeWorkflow } from '../helpers/faults.js';
import { filePool, type TestWorker } from '../helpers/pool.js';
import { tempDir } from '../helpers/tmp.js';

let worker: TestWorker | null = null;
const pool = filePool('parex-pool-hygiene', { before, after }, {}, async (started) => {
  worker = await started.worker('hy1', 2);
});

/** The bound on any key of a run (PAREX_POOL_REDIS_WAIT_MS unset: 30 s, so 1 h). */
const HOUR_MS = 3_600_000;

/** Each key of `run` in Redis with its TTL in ms (-1: none). */
async function runKeysWithTtl(run: string): Promise<Map<string, number>> {
  const { Redis } = await import('ioredis');
  const client = new Redis({ host: '127.0.0.1', port: pool.redis.port, lazyConnect: true });
  await client.connect();
  try {
    const keys = new Map<string, number>();
    let cursor = '0';
    do {
      const [next, found] = await client.scan(cursor, 'MATCH', `parex-run:{${run}}*`, 'COUNT', 100);
      for (const key of found) keys.set(key, await client.pttl(key));
      cursor = next;
    } while (cursor !== '0');
    return keys;
  } finally {
    client.disconnect();
  }
}

test('a closed run leaves no key without a TTL in Redis, its events stream deleted', async (t) => {
  const dir = tempDir(t);
  const run = await runCli(['exec', '--redis', pool.redis.url, '--', 'echo a', 'echo b'], {
    cwd: dir,
    env: parexEnv(null),
  });
  assert.equal(run.code, 0, run.stderr);
  const keys = await runKeysWithTtl(runIdOf(run.stderr));
  for (const [key, ttl] of keys) assert.notEqual(ttl, -1, `${key} has no TTL`);
  assert.equal(
    [...keys.keys()].some((key) => key.endsWith(':events')),
    false,
  );
});

test('a coordinator killed with SIGKILL mid-job: every key of its run expires within the hour', async (t) => {
  const dir = tempDir(t);
  const args = ['exec', '--redis', pool.redis.url, '--', 'echo streaming; sleep 30'];
  const { child, done } = startCli(args, { cwd: dir, env: parexEnv(null) });
  await waitForStderrCount(child, '[parex] started ', 1);
  child.kill('SIGKILL');
  const run = runIdOf((await done).stderr);
  const stream = `parex-run:{${run}}:log:job1.1`;
  const finished = `[parex] finished ${run}/job1`;
  // While the job still runs (its coordinator's heartbeat lasts 10 s), its log stream carries an
  // expiry from its first entry on, which the worker's checks (every 2 s) renew: a later
  // reading has lost at least a second less than the time between the two, with no end told.
  let first = -2;
  for (let waited = 0; first < 0 && waited < 5000; waited += 50) {
    first = (await runKeysWithTtl(run)).get(stream) ?? -2;
    if (first < 0) await sleep(50);
  }
  const firstAt = Date.now();
  assert.ok(first > 0 && first <= HOUR_MS, `${stream}: PTTL ${first}`);
  let renewed = false;
  for (let waited = 0; waited < 7000 && !renewed; waited += 250) {
    await sleep(250);
    // Taken before the reading (and `firstAt` after the first): the time between is never more.
    const elapsed = Date.now() - firstAt;
    const ttl = (await runKeysWithTtl(run)).get(stream) ?? 0;
    const running = !(worker?.output() ?? '').includes(finished);
    renewed = running && ttl > first - elapsed + 1000;
  }
  assert.ok(renewed, `${stream}: its expiry was not renewed while the job ran`);
  // The worker stops the job once the heartbeat is gone; its stream then expires too.
  const deadline = Date.now() + 30_000;
  while (!(worker?.output() ?? '').includes(finished)) {
    assert.ok(Date.now() < deadline, `the worker did not stop the job:\n${worker?.output()}`);
    await sleep(100);
  }
  const keys = await runKeysWithTtl(run);
  const names = [...keys.keys()];
  assert.ok(keys.has(stream) && names.some((key) => key.endsWith(':events')), names.join(', '));
  for (const [key, ttl] of keys) assert.ok(ttl > 0 && ttl <= HOUR_MS, `${key}: PTTL ${ttl}`);
});

test('a coordinator secret typed into a command never shows in a worker’s output', async (t) => {
  const dir = tempDir(t);
  const secret = 'hunter2-not-on-the-worker';
  const run = await runCli(
    ['exec', '--redis', pool.redis.url, '--secret-env', 'DEPLOY_KEY', '--', `echo ${secret} ok`],
    { cwd: dir, env: parexEnv(null, { DEPLOY_KEY: secret }) },
  );
  assert.equal(run.code, 0, run.stderr);
  const seen = worker?.output() ?? '';
  assert.match(
    seen,
    /\[parex\] started {2}\S+\/job1 attempt 1 \(pid \d+\): \/bin\/sh -c echo \*\*\* ok/,
  );
  assert.doesNotMatch(seen, /hunter2/);
});

test('a worker’s refusal is told as the worker’s, with no shell prefix', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'in.txt'), 'data\n');
  // On the worker, the input's place is a link: it refuses to write through it.
  const refusing = await pool.worker('hy-refuse', 1, { extra: ['--tags', 'refuse'] });
  mkdirSync(refusing.workdir, { recursive: true });
  symlinkSync('/etc/hostname', path.join(refusing.workdir, 'in.txt'));
  writeWorkflow(dir, [
    'name: refused',
    'defaults: { agent: command }',
    'dirs: { logs: logs }',
    'phases:',
    '  - { id: read, command: "cat in.txt", inputs: [in.txt], runs_on: [refuse] }',
  ]);
  const run = await runCli(['run', 'flow.yaml', '--redis', pool.redis.url], {
    cwd: dir,
    env: parexEnv(null),
  });
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /SPAWN ERROR \(worker hy-refuse refused the job: file in\.txt/);
  assert.doesNotMatch(run.stderr, /\/bin\/sh: worker/);
  const [end] = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  assert.match(String(end?.error), /^worker hy-refuse refused the job: file in\.txt/);
});
