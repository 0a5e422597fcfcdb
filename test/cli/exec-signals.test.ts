// Signals to parex itself: SIGINT, SIGTERM and SIGHUP stop every job (SIGKILL after the grace for one
// that ignores SIGTERM) and parex exits 128+n; a second SIGINT skips the grace; queued jobs
// never start.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import {
  assertNothingAlive,
  endLines,
  onlyLineOf,
  parexEnv,
  startCli,
  startLines,
  waitForStderrCount,
} from '../helpers/exec.js';
import { manifestLines } from '../helpers/manifest.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';
import { waitForText } from '../helpers/wait.js';

const STARTED = '[parex] started ';

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const) {
  test(`${signal} to parex cancels every job, kills the stubborn one, exits ${code}`, async (t) => {
    const dir = tempDir(t);
    const marker = killedAfter(t);
    const { child, done } = startCli(
      [
        'exec',
        '--names',
        'one,two,stubborn',
        '--kill-after',
        '0.5',
        '--log-dir',
        'logs',
        '--',
        'sleep 30',
        'sleep 30',
        "trap '' TERM; echo ready; sleep 30",
      ],
      { cwd: dir, env: parexEnv(marker) },
    );
    await waitForStderrCount(child, STARTED, 3);
    // Only once its shell has set the trap (on a loaded machine that can take a while).
    await waitForText(path.join(dir, 'logs', 'stubborn.log'), 'ready');
    child.kill(signal);
    const run = await done;

    assert.equal(run.code, code, run.stderr);
    assert.equal(run.signal, null);
    assertNothingAlive(marker);
    assert.ok(run.stderr.includes(`[parex] ${signal} received: stopping every job`), run.stderr);
    assert.match(run.stderr, new RegExp(`^ {2}cancelled by ${signal}$`, 'm'));
    assert.match(
      run.stderr,
      /finished stubborn \(pid \d+\): CANCELLED \(SIGKILL after 0\.5s grace; ignored SIGTERM\)/,
    );
    const lines = manifestLines(path.join(dir, 'logs', 'manifest.jsonl'));
    assert.equal(startLines(lines).length, 3);
    const ends = endLines(lines);
    assert.equal(ends.length, 3);
    for (const end of ends) {
      assert.equal(end.outcome, 'cancelled', JSON.stringify(end));
      assert.equal(end.status, 'failed');
      assert.equal(end.stop_reason, 'cancel');
    }
    for (const phase of ['one', 'two']) {
      const end = onlyLineOf(ends, phase);
      assert.deepEqual(end.signals_sent, ['SIGTERM'], phase);
      assert.equal(end.exit_code, 143, phase);
    }
    const stubborn = onlyLineOf(ends, 'stubborn');
    assert.deepEqual(stubborn.signals_sent, ['SIGTERM', 'SIGKILL']);
    assert.equal(stubborn.exit_code, 137);
  });
}

test('a second SIGINT during the grace kills at once', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const { child, done } = startCli(
    [
      'exec',
      '--names',
      'stubborn,plain',
      '--kill-after',
      '20',
      '--log-dir',
      'logs',
      '--',
      "trap '' TERM; echo armed; sleep 30",
      'sleep 30',
    ],
    { cwd: dir, env: parexEnv(marker) },
  );
  await waitForStderrCount(child, STARTED, 2);
  await waitForText(path.join(dir, 'logs', 'stubborn.log'), 'armed');
  const noticed = waitForStderrCount(child, '[parex] SIGINT received: stopping every job', 1);
  const signalledAt = performance.now();
  child.kill('SIGINT');
  await noticed;
  child.kill('SIGINT');
  const run = await done;
  const afterSignalMs = performance.now() - signalledAt;

  assert.equal(run.code, 130, run.stderr);
  assert.ok(afterSignalMs < 10_000, `parex took ${afterSignalMs} ms; the grace was 20 s`);
  assertNothingAlive(marker);
  assert.ok(run.stderr.includes('[parex] SIGINT received again: killing every job now'));
  const ends = endLines(manifestLines(path.join(dir, 'logs', 'manifest.jsonl')));
  const stubborn = onlyLineOf(ends, 'stubborn');
  assert.equal(stubborn.outcome, 'cancelled');
  assert.deepEqual(stubborn.signals_sent, ['SIGTERM', 'SIGKILL']);
  assert.equal(stubborn.exit_code, 137);
  assert.equal(onlyLineOf(ends, 'plain').outcome, 'cancelled');
});

test('SIGINT with -j 1: the queued job never starts', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const { child, done } = startCli(
    [
      'exec',
      '-j',
      '1',
      '--names',
      'first,queued',
      '--kill-after',
      '0.5',
      '--log-dir',
      'logs',
      '--',
      'sleep 30',
      'touch queued-ran',
    ],
    { cwd: dir, env: parexEnv(marker) },
  );
  await waitForStderrCount(child, STARTED, 1);
  child.kill('SIGINT');
  const run = await done;

  assert.equal(run.code, 130, run.stderr);
  assertNothingAlive(marker);
  assert.equal(existsSync(path.join(dir, 'queued-ran')), false);
  assert.match(run.stderr, /^ {2}queued +NOT STARTED \(run cancelled\)/m);
  const lines = manifestLines(path.join(dir, 'logs', 'manifest.jsonl'));
  assert.deepEqual(
    lines.map((line) => [line.phase, line.status]),
    [
      ['first', 'started'],
      ['first', 'failed'],
    ],
  );
  assert.equal(existsSync(path.join(dir, 'logs', 'queued.log')), false);
});
