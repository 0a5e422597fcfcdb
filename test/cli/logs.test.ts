// parex logs: -f waits for a queued job to start and then follows it; a skipped job says why
// and exits 0; --lines N; a job of an earlier run is found through the history.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import { parexEnv, startCli, waitForStderrCount } from '../helpers/exec.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

test('logs -f on a queued job waits for it to start, then follows it to its end', async (t) => {
  const dir = tempDir(t);
  const env = parexEnv(killedAfter(t));
  const { child, done } = startCli(
    [
      'exec',
      '-j',
      '1',
      '--names',
      'first,second',
      '--log-dir',
      'logs',
      '--',
      'sleep 1.5',
      'echo one; sleep 0.5; echo two',
    ],
    { cwd: dir, env },
  );
  await waitForStderrCount(child, '[parex] started  first', 1);
  const followed = await runCli(['logs', 'second', '-f', '--log-dir', 'logs'], { cwd: dir, env });
  const run = await done;
  assert.equal(run.code, 0, run.stderr);
  assert.equal(followed.code, 0, followed.stderr);
  assert.match(
    followed.stderr,
    /second has not started yet \(queued or waiting for its needs\); waiting for it/,
  );
  assert.equal(followed.stdout, 'one\ntwo\n');
});

test('logs of a skipped job says why and exits 0; --lines N prints the last N lines', async (t) => {
  const dir = tempDir(t);
  const common = { schema_version: 1, run_id: 'r1', feature: null, group: null, attempt: 1 };
  writeFileSync(path.join(dir, 'talk.log'), 'l1\nl2\nl3\nl4\n');
  const lines = [
    {
      ...common,
      phase: 'talk',
      status: 'started',
      timestamp: '2026-01-01T00:00:00Z',
      pid: 1,
      command: 'x',
      started_at: '2026-01-01T00:00:00.000Z',
      log: path.join(dir, 'talk.log'),
    },
    {
      ...common,
      phase: 'talk',
      status: 'failed',
      outcome: 'failed',
      exit_code: 1,
      timestamp: '2026-01-01T00:00:01Z',
      duration_sec: 1,
      pid: 1,
      log: path.join(dir, 'talk.log'),
    },
    {
      ...common,
      phase: 'after',
      status: 'skipped',
      outcome: 'skipped',
      exit_code: null,
      timestamp: '2026-01-01T00:00:01Z',
      duration_sec: 0,
      pid: null,
      log: path.join(dir, 'after.log'),
      reason: 'needs talk, which did not succeed',
    },
  ];
  writeFileSync(
    path.join(dir, 'manifest.jsonl'),
    lines.map((line) => `${JSON.stringify(line)}\n`).join(''),
  );
  const env = parexEnv(null);
  const skipped = await runCli(['logs', 'after', '--log-dir', '.'], { cwd: dir, env });
  assert.equal(skipped.code, 0, skipped.stderr);
  assert.equal(skipped.stdout, '');
  assert.match(
    skipped.stderr,
    /after was skipped, so it has no log: needs talk, which did not succeed/,
  );
  const tail = await runCli(['logs', 'talk', '--log-dir', '.', '--lines', '2'], { cwd: dir, env });
  assert.equal(tail.code, 0, tail.stderr);
  assert.equal(tail.stdout, 'l3\nl4\n');
  assert.match(tail.stderr, /talk of run r1 \(failed\)/);
});

test('logs NAME finds the job in an earlier run and says which run it shows', async (t) => {
  const dir = tempDir(t);
  const env = parexEnv(null);
  const first = await runCli(['exec', '--names', 'alpha', '--', 'echo from-alpha'], {
    cwd: dir,
    env,
  });
  assert.equal(first.code, 0, first.stderr);
  const second = await runCli(['exec', '--names', 'beta', '--', 'echo from-beta'], {
    cwd: dir,
    env,
  });
  assert.equal(second.code, 0, second.stderr);
  const firstId = /^\[parex\] run (\S+):/m.exec(first.stderr)?.[1];
  const shown = await runCli(['logs', 'alpha'], { cwd: dir, env });
  assert.equal(shown.code, 0, shown.stderr);
  assert.equal(shown.stdout, 'from-alpha\n');
  assert.ok(shown.stderr.includes(`alpha of run ${firstId} (success)`), shown.stderr);
});
