// Budgets and per-agent caps of pooled runs: a spent budget stops the agents running on the
// workers (outcome budget), and a cap holds across the whole pool, also for two coordinators.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { agentProject, burningProject, flow, phaseEnds } from '../helpers/agents.js';
import { runCli } from '../helpers/cli.js';
import { parexEnv } from '../helpers/exec.js';
import { manifestLines, mostAtOnce } from '../helpers/manifest.js';
import { AGENT_WORKER_ENV, filePool, type TestWorker } from '../helpers/pool.js';

// The fake agent CLIs are installed on every worker, whose own home is a scratch directory.
let workers: TestWorker[] = [];
const pool = filePool('parex-pool-limits', { before, after }, AGENT_WORKER_ENV, async (started) => {
  const home = mkdtempSync(path.join(started.root, 'home-'));
  workers = await Promise.all(
    ['l1', 'l2'].map((name) => started.worker(name, 4, { env: { HOME: home } })),
  );
});

const feature = (name: string) => `.parex/features/${name}/logs`;

test('--max-cost stops the agents running on workers by their ladder (budget), starts none after', async (t) => {
  const project = burningProject(t);
  const run = await runCli(
    [
      'run',
      'flow.yaml',
      '--feature',
      'feat',
      '-j',
      '3',
      '--max-cost',
      '0.20',
      '--redis',
      pool.redis.url,
      '--pass-env',
      'FAKE_*',
    ],
    { cwd: project.dir, env: { ...parexEnv(null), ...project.env }, limitMs: 60_000 },
  );
  assert.equal(run.code, 1, run.stderr);
  const byName = phaseEnds(project.dir, feature('feat'));
  for (const name of ['a1', 'a2']) {
    const line = byName.get(name);
    assert.equal(line?.outcome, 'budget', `${name}: ${JSON.stringify(line)}`);
    assert.equal(line?.stop_reason, 'budget');
    assert.equal(line?.exit_code, 124);
    assert.deepEqual(line?.signals_sent, ['SIGTERM']);
    assert.match(String(line?.reason), /the run's budget of \$0\.2000 was reached/);
    assert.ok(['l1', 'l2'].includes(String((line?.worker as { name?: string } | undefined)?.name)));
  }
  assert.equal(byName.get('sh')?.outcome, 'success', 'the shell job spends nothing and finishes');
  assert.equal(byName.get('a3')?.outcome, 'budget');
  assert.equal(byName.get('a3')?.pid, null, 'a3 never started');
  assert.equal(byName.get('a4')?.outcome, 'skipped');
  assert.equal(project.invocations().length, 2, 'only two agents were ever run');
  const printed = workers.map((worker) => worker.output()).join('');
  assert.match(printed, /finished \S+\/a1 attempt 1: stopped \(budget, SIGTERM\)/);
});

test('--limit claude=2 holds across the pool: two coordinators never run more than 2 at once', async (t) => {
  const project = agentProject(t, {
    'p.md': 'go\n@fake sleep 1\n',
    'flow.yaml': flow(
      'defaults: { agent: claude, stagger_same_agent: 0, agent_home: per-job }',
      'phases:',
      ...['c1', 'c2', 'c3', 'c4'].map((id) => `  - { id: ${id}, prompt: p.md }`),
    ),
  });
  // Each coordinator alone would keep 2 running, 4 together; the workers have 8 slots.
  const runs = await Promise.all(
    ['one', 'two'].map((name) =>
      runCli(
        [
          'run',
          'flow.yaml',
          '--feature',
          name,
          '--limit',
          'claude=2',
          '--redis',
          pool.redis.url,
          '--pass-env',
          'FAKE_*',
        ],
        { cwd: project.dir, env: { ...parexEnv(null), ...project.env }, limitMs: 90_000 },
      ),
    ),
  );
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  const lines = ['one', 'two'].flatMap((name) =>
    manifestLines(path.join(project.dir, feature(name), 'manifest.jsonl')),
  );
  assert.equal(lines.filter((line) => line.status === 'success').length, 8);
  assert.equal(
    mostAtOnce(lines, 'claude'),
    2,
    JSON.stringify(lines.map((l) => [l.started_at, l.ended_at])),
  );
});
