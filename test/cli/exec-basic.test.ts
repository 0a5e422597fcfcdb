// parex exec end to end: exit codes, outcome words, the manifest's fields, per-process
// durations, stdin, missing commands and processes left behind by a job that exited.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import {
  assertNothingAlive,
  endLines,
  ISO_MILLIS,
  ISO_SECONDS,
  type Line,
  num,
  onlyLineOf,
  parexEnv,
  runIdOf,
  startLines,
  text,
} from '../helpers/exec.js';
import { manifestLines } from '../helpers/manifest.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

test('exit codes 0/3/0: exit 1, outcome words, summary and a complete manifest', async (t) => {
  const dir = realpathSync(tempDir(t));
  const marker = killedAfter(t);
  const commands: Record<string, string> = { a: 'exit 0', b: 'exit 3', c: 'true' };

  const run = await runCli(['exec', '--names', 'a,b,c', '--', 'exit 0', 'exit 3', 'true'], {
    cwd: dir,
    env: parexEnv(marker),
  });

  assert.equal(run.code, 1, run.stderr);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^\[parex\] finished a \(pid \d+\): SUCCESS in /m);
  assert.match(run.stderr, /^\[parex\] finished b \(pid \d+\): FAILED \(exit 3\) in /m);
  assert.match(run.stderr, /^\[parex\] finished c \(pid \d+\): SUCCESS in /m);
  const summary = run.stderr.slice(run.stderr.indexOf('parex: summary of run'));
  assert.match(summary, /^ {2}b +exit 3 +FAILED \(exit 3\) +\d/m);
  assert.match(summary, /^ {2}failed: 1 of 3: b \(exit 3\)$/m);
  assertNothingAlive(marker);

  const runId = runIdOf(run.stderr);
  const runDir = path.join(dir, '.parex', 'runs', runId);
  const lines = manifestLines(path.join(runDir, 'manifest.jsonl'));
  assert.equal(lines.length, 6);
  const starts = startLines(lines);
  const ends = endLines(lines);
  assert.equal(starts.length, 3);
  assert.equal(ends.length, 3);

  const expected: Record<string, { status: string; exitCode: number }> = {
    a: { status: 'success', exitCode: 0 },
    b: { status: 'failed', exitCode: 3 },
    c: { status: 'success', exitCode: 0 },
  };
  for (const [phase, want] of Object.entries(expected)) {
    const start = onlyLineOf(starts, phase);
    const end = onlyLineOf(ends, phase);
    assert.ok(lines.indexOf(start) < lines.indexOf(end), `${phase}: completion before start`);
    for (const line of [start, end]) {
      assert.equal(line.schema_version, 1);
      assert.equal(line.run_id, runId);
      assert.equal(line.feature, null);
      assert.equal(line.group, null);
      assert.match(text(line, 'timestamp'), ISO_SECONDS);
    }
    assert.equal(start.status, 'started');
    assert.ok(Number.isInteger(num(start, 'pid')) && num(start, 'pid') > 1);
    assert.equal(start.command, commands[phase]);
    assert.match(text(start, 'started_at'), ISO_MILLIS);

    assert.equal(end.status, want.status);
    assert.equal(end.outcome, want.status);
    assert.equal(end.exit_code, want.exitCode);
    assert.equal(end.signal, null);
    assert.equal(end.pid, start.pid);
    assert.equal(end.reaped_leftovers, false);
    assert.deepEqual(end.signals_sent, []);
    const durationMs = num(end, 'duration_ms');
    const durationSec = num(end, 'duration_sec');
    assert.ok(Number.isInteger(durationMs) && durationMs >= 0, `duration_ms ${durationMs}`);
    assert.ok(Number.isInteger(durationSec) && durationSec >= 0, `duration_sec ${durationSec}`);
    assert.equal(durationSec, Math.round(durationMs / 1000));
    const startedAt = text(end, 'started_at');
    const endedAt = text(end, 'ended_at');
    assert.match(startedAt, ISO_MILLIS);
    assert.match(endedAt, ISO_MILLIS);
    assert.equal(startedAt, start.started_at);
    // docs/manifest.md: ended_at - started_at = duration_ms.
    assert.equal(Date.parse(endedAt) - Date.parse(startedAt), durationMs, phase);
    assert.equal(end.log, path.join(runDir, `${phase}.log`));
    assert.equal(start.log, end.log);
    assert.ok(existsSync(text(end, 'log')), `${phase}: log file missing`);
  }
});

test('--feature and --group (or PAREX_FEATURE and PAREX_GROUP) are on every manifest line', async (t) => {
  for (const [how, args, env] of [
    ['flags', ['--feature', 'f', '--group', 'g'], {}],
    ['environment', [], { PAREX_FEATURE: 'f', PAREX_GROUP: 'g' }],
  ] as const) {
    const dir = tempDir(t);
    const marker = killedAfter(t);
    const run = await runCli(
      ['exec', ...args, '--log-dir', 'logs', '--', 'exit 0', 'exit 1', 'echo hi'],
      { cwd: dir, env: parexEnv(marker, env) },
    );
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^parex: summary of run \S+ \(feature f, group g\)$/m, how);
    const lines = manifestLines(path.join(dir, 'logs', 'manifest.jsonl'));
    assert.equal(lines.length, 6, how);
    for (const line of lines) {
      assert.equal(line.feature, 'f', `${how}: ${JSON.stringify(line)}`);
      assert.equal(line.group, 'g', `${how}: ${JSON.stringify(line)}`);
    }
    assertNothingAlive(marker);
  }
});

test('durations are per process, not from the start of the group', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  // The long job comes first: a tool that waits for its jobs in order (as the original did)
  // would only see the short job end after the long one and report 1.5 s for both.
  const run = await runCli(
    ['exec', '--names', 'long,short', '--log-dir', 'logs', '--', 'sleep 1.5', 'sleep 0.2'],
    { cwd: dir, env: parexEnv(marker) },
  );
  assert.equal(run.code, 0, run.stderr);
  const ends = endLines(manifestLines(path.join(dir, 'logs', 'manifest.jsonl')));
  const short = num(onlyLineOf(ends, 'short'), 'duration_ms');
  const long = num(onlyLineOf(ends, 'long'), 'duration_ms');
  assert.ok(short >= 150 && short < 1000, `short job took ${short} ms`);
  assert.ok(long >= 1400, `long job took ${long} ms`);
  assert.equal(onlyLineOf(ends, 'short').duration_sec, 0);
  // The short job finished first, so its completion line comes first.
  assert.deepEqual(
    ends.map((line) => line.phase),
    ['short', 'long'],
  );
});

test('stdin is /dev/null: cat and read see EOF at once', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const run = await runCli(
    [
      'exec',
      '--names',
      'cat,read',
      '--timeout',
      '10',
      '--kill-after',
      '0.5',
      '--log-dir',
      'logs',
      '--',
      'cat',
      'if read x; then exit 9; fi',
    ],
    { cwd: dir, env: parexEnv(marker) },
  );
  assert.equal(run.code, 0, run.stderr);
  const ends = endLines(manifestLines(path.join(dir, 'logs', 'manifest.jsonl')));
  for (const phase of ['cat', 'read']) {
    const end = onlyLineOf(ends, phase);
    assert.equal(end.outcome, 'success', phase);
    assert.equal(end.exit_code, 0, phase);
    assert.ok(num(end, 'duration_ms') < 5000, `${phase} waited for input`);
  }
  assert.equal(readFileSync(path.join(dir, 'logs', 'cat.log'), 'utf8'), '');
  assertNothingAlive(marker);
});

test('a missing command exits 127 and says "command not found"', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const run = await runCli(
    ['exec', '--names', 'missing', '--log-dir', 'logs', '--', 'nosuchcommand_xyz'],
    { cwd: dir, env: parexEnv(marker) },
  );
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /finished missing \(pid \d+\): FAILED \(exit 127: command not found\)/);
  const end = onlyLineOf(
    endLines(manifestLines(path.join(dir, 'logs', 'manifest.jsonl'))),
    'missing',
  );
  assert.equal(end.exit_code, 127);
  assert.equal(end.outcome, 'failed');
  assert.equal(end.status, 'failed');
  const log = readFileSync(path.join(dir, 'logs', 'missing.log'), 'utf8');
  assert.match(log, /nosuchcommand_xyz/);
  assert.match(log, /not found/);
});

test('processes a successful job leaves behind are stopped, and the job still succeeds', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const startedAt = performance.now();
  const run = await runCli(
    [
      'exec',
      '--names',
      'leaver,plain',
      '--kill-after',
      '1',
      '--log-dir',
      'logs',
      '--',
      'sleep 30 & echo left; exit 0',
      'true',
    ],
    { cwd: dir, env: parexEnv(marker) },
  );
  const wallMs = performance.now() - startedAt;
  assert.equal(run.code, 0, run.stderr);
  assertNothingAlive(marker);
  assert.ok(wallMs < 10_000, `parex waited ${wallMs} ms for the leftover sleep`);
  assert.match(run.stderr, /stopping leaver \(pid \d+\): it exited but left processes behind/);
  assert.match(run.stderr, /finished leaver \(pid \d+\): SUCCESS in /);
  const ends = endLines(manifestLines(path.join(dir, 'logs', 'manifest.jsonl')));
  const leaver: Line = onlyLineOf(ends, 'leaver');
  assert.equal(leaver.outcome, 'success');
  assert.equal(leaver.exit_code, 0);
  assert.equal(leaver.reaped_leftovers, true);
  assert.equal(leaver.stop_reason, null);
  assert.deepEqual(leaver.signals_sent, ['SIGTERM']);
  assert.equal(onlyLineOf(ends, 'plain').reaped_leftovers, false);
  assert.equal(readFileSync(path.join(dir, 'logs', 'leaver.log'), 'utf8'), 'left\n');
});

test('a group of more than 40 jobs gets a short summary: the jobs that did not succeed, then a count', async (t) => {
  const dir = tempDir(t);
  const commands = Array.from({ length: 45 }, (_, index) =>
    index % 2 === 1 ? `exit ${index}` : 'true',
  );
  const run = await runCli(['exec', '-j', '8', '--log-dir', 'logs', '--', ...commands], {
    cwd: dir,
    env: parexEnv(null),
  });
  assert.equal(run.code, 1, run.stderr);
  const summary = run.stderr.slice(run.stderr.indexOf('parex: summary of run'));
  const rows = summary.split('\n').filter((line) => /^ {2}job\d+ /.test(line));
  assert.deepEqual(
    rows.map((row) => row.trim().split(/\s+/)[0]),
    Array.from({ length: 22 }, (_, index) => `job${2 * index + 2}`),
    'only the 22 failed jobs, in job order',
  );
  assert.match(
    summary,
    /\.\.\. 23 more jobs \(23 succeeded\): 'parex status logs' lists every job/,
  );
  assert.match(summary, /failed: 22 of 45: job2 \(exit 1\), .*job40 \(exit 39\), \.\.\.\n/);
  assert.doesNotMatch(summary, /job42 \(exit 41\)/, 'at most 20 failures named');
});
