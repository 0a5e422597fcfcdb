// Timeouts end to end: SIGTERM at the deadline, SIGKILL after the grace for a job that ignores
// SIGTERM, grandchildren stopped with their job, and --timeout beating PAREX_TIMEOUT.
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import {
  assertNothingAlive,
  endLines,
  num,
  onlyLineOf,
  parexEnv,
  startLines,
} from '../helpers/exec.js';
import { manifestLines } from '../helpers/manifest.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

test('--timeout 0.5 --kill-after 0.5 stops every job and its whole process group on time', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const startedAt = performance.now();
  const run = await runCli(
    [
      'exec',
      '--names',
      'slow,stubborn,grandchild,subshell',
      '--timeout',
      '0.5',
      '--kill-after',
      '0.5',
      '--log-dir',
      'logs',
      '--',
      'sleep 30',
      "trap '' TERM; sleep 30",
      "sh -c 'sleep 30 & wait'",
      '(sleep 30 &) ; sleep 30',
    ],
    { cwd: dir, env: parexEnv(marker) },
  );
  const wallMs = performance.now() - startedAt;

  assert.equal(run.code, 1, run.stderr);
  assertNothingAlive(marker);
  assert.ok(wallMs < 10_000, `parex took ${wallMs} ms for 0.5 s timeouts`);
  assert.match(run.stderr, /finished slow \(pid \d+\): TIMEOUT \(exceeded 0\.5s\) in /);
  assert.ok(
    run.stderr.includes('finished stubborn') &&
      run.stderr.includes('KILLED (SIGKILL after 0.5s grace; ignored SIGTERM)'),
    run.stderr,
  );
  assert.match(run.stderr, /finished grandchild \(pid \d+\): TIMEOUT \(exceeded 0\.5s\) in /);
  assert.match(run.stderr, /finished subshell \(pid \d+\): TIMEOUT \(exceeded 0\.5s\) in /);
  assert.match(run.stderr, /failed: 4 of 4: /);

  const lines = manifestLines(path.join(dir, 'logs', 'manifest.jsonl'));
  assert.equal(startLines(lines).length, 4);
  const ends = endLines(lines);
  assert.equal(ends.length, 4);
  for (const phase of ['slow', 'grandchild', 'subshell']) {
    const end = onlyLineOf(ends, phase);
    assert.equal(end.outcome, 'timeout', phase);
    assert.equal(end.status, 'failed', phase);
    assert.equal(end.exit_code, 124, phase);
    assert.equal(end.stop_reason, 'timeout', phase);
    assert.deepEqual(end.signals_sent, ['SIGTERM'], phase);
    assert.equal(end.timeout_sec, 0.5, phase);
    const ms = num(end, 'duration_ms');
    assert.ok(ms >= 450 && ms < 5000, `${phase} took ${ms} ms`);
  }
  const stubborn = onlyLineOf(ends, 'stubborn');
  assert.equal(stubborn.outcome, 'killed');
  assert.equal(stubborn.status, 'failed');
  assert.equal(stubborn.exit_code, 137);
  assert.equal(stubborn.signal, 'SIGKILL');
  assert.equal(stubborn.stop_reason, 'timeout');
  assert.deepEqual(stubborn.signals_sent, ['SIGTERM', 'SIGKILL']);
  assert.equal(stubborn.kill_after_sec, 0.5);
  const ms = num(stubborn, 'duration_ms');
  assert.ok(ms >= 900 && ms < 6000, `stubborn took ${ms} ms`);
});

test('--timeout beats PAREX_TIMEOUT; PAREX_TIMEOUT alone applies', async (t) => {
  const marker = killedAfter(t);
  const env = parexEnv(marker, { PAREX_TIMEOUT: '0.3', PAREX_KILL_AFTER: '0.5' });

  const flagDir = tempDir(t);
  const withFlag = await runCli(
    ['exec', '--names', 'nap', '--timeout', '5', '--log-dir', 'logs', '--', 'sleep 1'],
    { cwd: flagDir, env },
  );
  assert.equal(withFlag.code, 0, withFlag.stderr);
  assert.match(withFlag.stderr, /finished nap \(pid \d+\): SUCCESS in /);
  const flagEnd = onlyLineOf(
    endLines(manifestLines(path.join(flagDir, 'logs', 'manifest.jsonl'))),
    'nap',
  );
  assert.equal(flagEnd.outcome, 'success');
  assert.equal(flagEnd.timeout_sec, 5);

  const envDir = tempDir(t);
  const envOnly = await runCli(['exec', '--names', 'nap', '--log-dir', 'logs', '--', 'sleep 1'], {
    cwd: envDir,
    env,
  });
  assert.equal(envOnly.code, 1, envOnly.stderr);
  assert.match(envOnly.stderr, /finished nap \(pid \d+\): TIMEOUT \(exceeded 0\.3s\) in /);
  const envEnd = onlyLineOf(
    endLines(manifestLines(path.join(envDir, 'logs', 'manifest.jsonl'))),
    'nap',
  );
  assert.equal(envEnd.outcome, 'timeout');
  assert.equal(envEnd.exit_code, 124);
  assert.equal(envEnd.timeout_sec, 0.3);
  assert.equal(envEnd.kill_after_sec, 0.5);
  assertNothingAlive(marker);
});

test('a timeout too long for a JavaScript timer still means "later", not "now"', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const run = await runCli(
    ['exec', '--names', 'nap', '--timeout', '9999999', '--log-dir', 'logs', '--', 'sleep 0.3'],
    { cwd: dir, env: parexEnv(marker) },
  );
  assertNothingAlive(marker);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /finished nap \(pid \d+\): SUCCESS in /);
});

test('a tiny positive timeout is a deadline, not "no timeout"', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const run = await runCli(
    ['exec', '--timeout', '0.0004', '--kill-after', '0.5', '--', 'sleep 5'],
    {
      cwd: dir,
      env: parexEnv(marker),
    },
  );
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /TIMEOUT \(exceeded 0\.0004s\)/);
  assertNothingAlive(marker);
});
