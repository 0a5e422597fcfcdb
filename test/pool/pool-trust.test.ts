// A pooled run's trust boundary: secrets stay home unless named, a worker refuses a payload
// of a newer protocol, and an ACL user limited to the pool's keys runs it (a real redis-server,
// three `parex worker`s each with its own --workdir).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { runCli } from '../helpers/cli.js';
import { parexEnv } from '../helpers/exec.js';
import { agentWorkersPool } from '../helpers/pool.js';
import { tempDir } from '../helpers/tmp.js';

const { pool, workers: poolWorkers } = agentWorkersPool('parex-pool-trust', { before, after });

test('secrets stay home unless --pass-env names them; passed ones are still redacted', async (t) => {
  const dir = tempDir(t);
  const env = parexEnv(null, { DEPLOY_API_KEY: 'sekrit-value-123', PLAIN_SETTING: 'plain' });
  const quiet = await runCli(
    [
      'exec',
      '--redis',
      pool.redis.url,
      '--log-dir',
      'a',
      '--',
      'echo "[$DEPLOY_API_KEY][$PLAIN_SETTING]"',
    ],
    { cwd: dir, env },
  );
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.equal(readFileSync(path.join(dir, 'a', 'job1.log'), 'utf8'), '[][]\n');
  const passed = await runCli(
    [
      'exec',
      '--redis',
      pool.redis.url,
      '--pass-env',
      'DEPLOY_*',
      '--log-dir',
      'b',
      '--',
      'echo "[$DEPLOY_API_KEY]"',
    ],
    { cwd: dir, env },
  );
  assert.equal(passed.code, 0, passed.stderr);
  assert.equal(readFileSync(path.join(dir, 'b', 'job1.log'), 'utf8'), '[sekrit-value-123]\n');
  assert.doesNotMatch(readFileSync(path.join(dir, 'b', 'manifest.jsonl'), 'utf8'), /sekrit/);
  // A command line that holds the values: the worker prints it with the job's secrets hidden,
  // those of default names and those of the run's --secret-env patterns alike.
  const shown = await runCli(
    [
      'exec',
      '--redis',
      pool.redis.url,
      '--pass-env',
      'DEPLOY_*',
      '--pass-env',
      'PLAIN_SETTING',
      '--secret-env',
      'PLAIN_SETTING',
      '--log-dir',
      'c',
      '--',
      '[ "$DEPLOY_API_KEY" = sekrit-value-123 ] && [ "$PLAIN_SETTING" = plain ] && echo same-values',
    ],
    { cwd: dir, env },
  );
  assert.equal(shown.code, 0, shown.stderr);
  assert.equal(readFileSync(path.join(dir, 'c', 'job1.log'), 'utf8'), 'same-values\n');
  const printed = poolWorkers()
    .map((worker) => worker.output())
    .join('');
  const started = printed.split('\n').find((line) => line.includes('echo same-values'));
  assert.match(
    String(started),
    /\[ "\$DEPLOY_API_KEY" = \*\*\* \] && \[ "\$PLAIN_SETTING" = \*\*\* \]/,
  );
  assert.doesNotMatch(printed, /sekrit-value-123/);
});

test('a worker refuses a payload of a newer protocol version, clearly', async () => {
  const { Queue } = await import('bullmq');
  const queue = new Queue('default', {
    connection: { host: '127.0.0.1', port: pool.redis.port },
    prefix: 'parex',
  });
  await queue.add(
    'future',
    { v: 99, run: 'future-run', name: 'future', attempt: 1, argv: ['true'] },
    {
      jobId: 'future-run.future.1',
      removeOnComplete: true,
    },
  );
  await queue.close();
  const deadline = Date.now() + 10_000;
  const seen = () =>
    poolWorkers().some((worker) => worker.output().includes('pool protocol version 99'));
  while (!seen() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const line = poolWorkers()
    .map((w) => w.output())
    .join('')
    .split('\n')
    .find((l) => l.includes('version 99'));
  assert.match(
    String(line),
    /refused a job: the job uses pool protocol version 99, newer than this worker's 5: upgrade parex on the worker/,
  );
});

test('an ACL user limited to the pool’s keys, with its password in the URL, runs the pool', async (t) => {
  const dir = tempDir(t);
  const { Redis } = await import('ioredis');
  const admin = new Redis({ port: pool.redis.port });
  // The user docs/distributed.md recommends.
  await admin.call(
    'ACL',
    'SETUSER',
    'pooluser',
    'on',
    '>pool-secret-pw',
    '~parex:*',
    '~parex-run:*',
    '&parex-cancel',
    '+@all',
    '-@admin',
    '-@dangerous',
    '+info',
    '+client|setname',
    '+client|list',
  );
  admin.disconnect();
  const url = `redis://pooluser:pool-secret-pw@127.0.0.1:${pool.redis.port}`;
  const acl = await pool.worker('acl1', 2, { url });
  t.after(() => acl.stop());
  assert.match(acl.output(), /Redis redis:\/\/pooluser:\*\*\*@127\.0\.0\.1/);
  assert.doesNotMatch(acl.output(), /pool-secret-pw/);
  const run = await runCli(['exec', '--log-dir', 'logs', '--', 'echo acl', 'sleep 0.5; echo two'], {
    cwd: dir,
    env: parexEnv(null, { PAREX_REDIS: url }),
  });
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /pool-secret-pw/);
  const wrong = await runCli(['exec', '--', 'true'], {
    cwd: dir,
    env: parexEnv(null, { PAREX_REDIS: url.replace('pool-secret-pw', 'wrong-pw') }),
  });
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /fix: check the user and password/);
});
