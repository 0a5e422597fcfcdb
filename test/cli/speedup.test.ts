// parex speedup: sum, wall and speedup read back from a manifest, --target, job names, and a
// manifest in the original tool's format (whole-second timestamps and durations only).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import { assertNothingAlive, parexEnv } from '../helpers/exec.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

/** The value column of the row `label` in speedup's output. */
function row(stdout: string, label: string): string {
  const line = stdout.split('\n').find((candidate) => candidate.startsWith(`${label}  `));
  assert.ok(line !== undefined, `no "${label}" row in:\n${stdout}`);
  return line.slice(label.length).trim();
}

/** Seconds of a duration printed as "1.23s" or "12.3s". */
function seconds(value: string): number {
  const match = /^(\d+\.\d+)s\b/.exec(value);
  assert.ok(match?.[1] !== undefined, `not a duration in seconds: ${value}`);
  return Number(match[1]);
}

test('speedup of 3 x sleep 1: sum, wall, speedup, --target and job names', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const env = parexEnv(marker);
  const exec = await runCli(['exec', '--log-dir', 'logs', '--', 'sleep 1', 'sleep 1', 'sleep 1'], {
    cwd: dir,
    env,
  });
  assert.equal(exec.code, 0, exec.stderr);
  assertNothingAlive(marker);

  const run = await runCli(['speedup', '--log-dir', 'logs'], { cwd: dir, env });
  assert.equal(run.code, 0, run.stderr);
  for (const name of ['job1', 'job2', 'job3']) assert.ok(seconds(row(run.stdout, name)) >= 0.95);
  const sum = seconds(row(run.stdout, 'sum of job times'));
  const wall = seconds(row(run.stdout, 'wall time'));
  const speedupText = row(run.stdout, 'speedup');
  assert.match(speedupText, /^\d+\.\d\dx$/);
  const speedup = Number.parseFloat(speedupText);
  assert.ok(sum >= 2.9, `sum ${sum}`);
  assert.ok(wall >= 0.95 && wall < sum, `wall ${wall}, sum ${sum}`);
  assert.ok(speedup > 1.5, `speedup ${speedup}`);
  assert.ok(Math.abs(speedup - sum / wall) < 0.05, `speedup ${speedup} vs ${sum}/${wall}`);

  const passes = await runCli(['speedup', '--log-dir', 'logs', '--target', '2'], { cwd: dir, env });
  assert.equal(passes.code, 0, passes.stderr);
  const fails = await runCli(['speedup', '--log-dir', 'logs', '--target', '100'], {
    cwd: dir,
    env,
  });
  assert.equal(fails.code, 1, fails.stderr);
  assert.ok(fails.stderr.includes('is below the target 100x'), fails.stderr);

  const badTarget = await runCli(['speedup', '--log-dir', 'logs', '--target', 'abc'], {
    cwd: dir,
    env,
  });
  assert.equal(badTarget.code, 2, badTarget.stderr);
  assert.ok(badTarget.stderr.includes('--target must be a positive number'), badTarget.stderr);
  assert.equal(badTarget.stdout, '');

  const two = await runCli(['speedup', '--log-dir', 'logs', 'job1', 'job3'], { cwd: dir, env });
  assert.equal(two.code, 0, two.stderr);
  assert.ok(!two.stdout.includes('job2'), two.stdout);
  assert.ok(seconds(row(two.stdout, 'sum of job times')) >= 1.9);

  const fromEnv = await runCli(['speedup'], { cwd: dir, env: { ...env, PAREX_LOG_DIR: 'logs' } });
  assert.equal(fromEnv.code, 0, fromEnv.stderr);
  assert.equal(fromEnv.stdout, run.stdout);

  const unknown = await runCli(['speedup', '--log-dir', 'logs', 'job1', 'nojob'], {
    cwd: dir,
    env,
  });
  assert.equal(unknown.code, 2, unknown.stderr);
  assert.ok(unknown.stderr.includes('no completion line for job "nojob"'), unknown.stderr);
  const fix = /^ {2}fix: name only jobs that finished: (.*)$/m.exec(unknown.stderr)?.[1];
  assert.deepEqual(fix?.split(', ').sort(), ['job1', 'job2', 'job3'], unknown.stderr);
});

test('speedup without a manifest exits 2', async (t) => {
  const dir = tempDir(t);
  const missing = await runCli(['speedup', '--log-dir', 'nowhere'], {
    cwd: dir,
    env: parexEnv(null),
  });
  assert.equal(missing.code, 2, missing.stderr);
  assert.equal(missing.stdout, '');
  assert.ok(missing.stderr.includes('no manifest at nowhere/manifest.jsonl'), missing.stderr);
  assert.match(missing.stderr, /^ {2}why: /m);
  const noDir = await runCli(['speedup'], { cwd: dir, env: parexEnv(null) });
  assert.equal(noDir.code, 2, noDir.stderr);
  assert.ok(noDir.stderr.includes('no log directory given'), noDir.stderr);
});

test("speedup reads a manifest in the original tool's format", async (t) => {
  const dir = tempDir(t);
  const original = [
    { phase: 'phase2a', status: 'started', timestamp: '2025-06-01T10:00:00Z' },
    { phase: 'phase2b', status: 'started', timestamp: '2025-06-01T10:00:00Z' },
    { phase: 'phase2c', status: 'started', timestamp: '2025-06-01T10:00:00Z' },
    {
      phase: 'phase2b',
      status: 'success',
      timestamp: '2025-06-01T10:04:30Z',
      exit_code: 0,
      duration_sec: 270,
    },
    {
      phase: 'phase2a',
      status: 'success',
      timestamp: '2025-06-01T10:05:00Z',
      exit_code: 0,
      duration_sec: 300,
    },
    {
      phase: 'phase2c',
      status: 'failed',
      timestamp: '2025-06-01T10:05:00Z',
      exit_code: 1,
      duration_sec: 300,
    },
  ];
  writeFileSync(
    path.join(dir, 'manifest.jsonl'),
    original.map((line) => `${JSON.stringify(line)}\n`).join(''),
  );
  const run = await runCli(['speedup', '--log-dir', '.', '--target', '2'], {
    cwd: dir,
    env: parexEnv(null),
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(row(run.stdout, 'phase2a'), '5m00s');
  assert.equal(row(run.stdout, 'phase2b'), '4m30s');
  assert.equal(row(run.stdout, 'phase2c'), '5m00s');
  assert.equal(row(run.stdout, 'sum of job times'), '14m30s');
  assert.equal(row(run.stdout, 'wall time'), '5m00s (first start to last end)');
  assert.equal(row(run.stdout, 'speedup'), '2.90x');
});
