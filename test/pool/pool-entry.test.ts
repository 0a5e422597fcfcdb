// Ways into the pool: Redis not running (exit 2, nothing written), `prp generate --redis`,
// `runs_on` tags and the library's poolExecutor (a real redis-server, three `parex worker`s
// each with its own --workdir).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { agentProject, scriptHappyPrp } from '../helpers/agents.js';
import { runCli, waitForStderr } from '../helpers/cli.js';
import { endLines, parexEnv, startCli } from '../helpers/exec.js';
import { wholeManifest, writeWorkflow } from '../helpers/faults.js';
import { agentWorkersPool, freePort } from '../helpers/pool.js';
import { tempDir } from '../helpers/tmp.js';

const { pool } = agentWorkersPool('parex-pool-entry', { before, after });

test('Redis not running: exit 2 with what, why and fix; nothing written', async (t) => {
  const dir = tempDir(t);
  const port = await freePort();
  const run = await runCli(
    ['exec', '--redis', `redis://:pw-hidden@127.0.0.1:${port}`, '--', 'true'],
    {
      cwd: dir,
      env: parexEnv(null),
    },
  );
  assert.equal(run.code, 2, run.stderr);
  assert.match(
    run.stderr,
    new RegExp(`cannot reach Redis at redis://:\\*\\*\\*@127.0.0.1:${port}`),
  );
  assert.match(run.stderr, /why: .*needs Redis/);
  assert.match(run.stderr, /fix: /);
  assert.doesNotMatch(run.stderr, /pw-hidden/);
  assert.equal(existsSync(path.join(dir, '.parex')), false);
  const bad = await runCli(['exec', '--redis', 'http://x', '--', 'true'], {
    cwd: dir,
    env: parexEnv(null),
  });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /not a Redis URL/);
});

test('prp generate --redis: the agents run on the workers, their files travel, the PRP passes here', async (t) => {
  const project = agentProject(t, {
    'prps/INITIAL_user_auth.md': '# Feature: user auth\n\nEmail and password login.\n',
  });
  scriptHappyPrp(project, 'user_auth', 9);
  const run = await runCli(
    [
      'prp',
      'generate',
      'prps/INITIAL_user_auth.md',
      '--redis',
      pool.redis.url,
      '--pass-env',
      'FAKE_*',
    ],
    { cwd: project.dir, env: { ...parexEnv(null), ...project.env }, limitMs: 90_000 },
  );
  const logs = path.join(project.dir, 'prps/user_auth/codex/logs');
  assert.equal(run.code, 0, `${run.stderr}${readFileSync(path.join(logs, 'phase1.log'), 'utf8')}`);
  assert.match(run.stderr, /PRP complete: prps\/user_auth\.md \(score 9\/10 after 1 attempt\)/);
  assert.ok(existsSync(path.join(project.dir, 'prps/user_auth/examples/login.ts')));
  const ends = endLines(
    wholeManifest(path.join(project.dir, 'prps/user_auth/codex/logs/manifest.jsonl')),
  );
  assert.equal(ends.length, 6);
  for (const end of ends) {
    assert.equal(end.outcome, 'success', JSON.stringify(end));
    assert.equal(end.agent_ok, true);
    assert.match(String(end.session_id), /^[0-9a-f-]{36}$/);
    assert.ok(['w1', 'w2', 'w3'].includes((end.worker as { name: string }).name));
  }
});

test('runs_on: a phase goes to the queue of its tag, served only by workers with that tag', async (t) => {
  const dir = tempDir(t);
  writeWorkflow(dir, [
    'name: tags',
    'defaults: { agent: command }',
    'dirs: { logs: logs }',
    'phases:',
    '  - { id: anywhere, command: "echo any" }',
    '  - { id: on_gpu, command: "echo gpu", runs_on: [gpu] }',
  ]);
  const { child, done } = startCli(['run', 'flow.yaml', '--redis', pool.redis.url], {
    cwd: dir,
    env: parexEnv(null),
  });
  // No worker has the tag yet: the run says so, and the phase waits for one.
  await waitForStderr(child, 'no worker serves the queue "gpu" yet');
  const gpu = await pool.worker('gpu1', 1, { extra: ['--tags', 'gpu'] });
  t.after(() => gpu.stop());
  assert.match(gpu.output(), /queues gpu, default/);
  const run = await done;
  assert.equal(run.code, 0, run.stderr);
  const ends = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl'))).filter(
    (end) => end.outcome === 'success',
  );
  const onGpu = ends.find((end) => end.phase === 'on_gpu');
  assert.deepEqual(onGpu?.worker, { name: 'gpu1', host: hostname() });
});

test('the library: runGroup with poolExecutor runs on the pool', async (t) => {
  const dir = tempDir(t);
  const { parseRedisUrl, poolExecutor, runGroup } = await import('../../src/index.js');
  const executor = poolExecutor({ redis: parseRedisUrl(pool.redis.url), passEnv: [] });
  const result = await runGroup({
    jobs: ['echo lib', 'exit 3'],
    cwd: dir,
    executor,
    forkServer: false,
  });
  assert.deepEqual(
    result.results.map((job) => [job.outcome, job.exitCode]),
    [
      ['success', 0],
      ['failed', 3],
    ],
  );
  const worker = result.results[0]?.details.worker as { name?: string } | undefined;
  assert.ok(['w1', 'w2', 'w3'].includes(String(worker?.name)));
  assert.equal(readFileSync(result.results[0]?.logPath ?? '', 'utf8'), 'lib\n');
});
