// --fail-fast: the first job that does not succeed stops the run. A running job that ignores
// SIGTERM is killed after the grace, later jobs never start, parex exits 1 and says which job
// stopped it. The workflow's defaults.fail_fast does the same, and --no-fail-fast overrides it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import { assertNothingAlive, endLines, onlyLineOf, parexEnv, startLines } from '../helpers/exec.js';
import { manifestLines } from '../helpers/manifest.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

test('--fail-fast stops a TERM-ignoring job, starts nothing more and exits 1', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const run = await runCli(
    [
      'exec',
      '--fail-fast',
      '-j',
      '2',
      '--kill-after',
      '0.5',
      '--names',
      'stubborn,broken,later1,later2',
      '--log-dir',
      'logs',
      '--',
      "trap '' TERM; sleep 30",
      'sleep 0.3; exit 3',
      'touch later1.ran',
      'touch later2.ran',
    ],
    { cwd: dir, env: parexEnv(marker) },
  );
  assert.equal(run.code, 1, run.stderr);
  assertNothingAlive(marker);
  assert.equal(existsSync(path.join(dir, 'later1.ran')), false, 'later1 started');
  assert.equal(existsSync(path.join(dir, 'later2.ran')), false, 'later2 started');
  const lines = manifestLines(path.join(dir, 'logs', 'manifest.jsonl'));
  assert.deepEqual(
    startLines(lines).map((line) => line.phase),
    ['stubborn', 'broken'],
  );
  const ends = endLines(lines);
  assert.equal(onlyLineOf(ends, 'broken').outcome, 'failed');
  const stubborn = onlyLineOf(ends, 'stubborn');
  assert.equal(stubborn.outcome, 'cancelled');
  assert.deepEqual(stubborn.signals_sent, ['SIGTERM', 'SIGKILL']);
  assert.equal(stubborn.reason, 'stopped by --fail-fast: broken did not succeed (failed)');
  assert.match(run.stderr, /^ {2}later1 +NOT STARTED \(fail-fast\)/m);
  assert.match(
    run.stderr,
    /^ {2}stopped by --fail-fast at broken \(failed\): 1 running job stopped, 2 not started$/m,
  );
  assert.doesNotMatch(run.stderr, /cancelled by SIG/);
});

test('without --fail-fast every job runs; a timeout triggers --fail-fast too', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const plain = await runCli(['exec', '-j', '1', '--log-dir', 'a', '--', 'exit 1', 'touch b.ran'], {
    cwd: dir,
    env: parexEnv(marker),
  });
  assert.equal(plain.code, 1, plain.stderr);
  assert.ok(existsSync(path.join(dir, 'b.ran')));
  const timed = await runCli(
    [
      'exec',
      '--fail-fast',
      '-j',
      '1',
      '--timeout',
      '0.3',
      '--log-dir',
      'b',
      '--',
      'sleep 5',
      'touch c.ran',
    ],
    { cwd: dir, env: parexEnv(marker) },
  );
  assert.equal(timed.code, 1, timed.stderr);
  assert.equal(existsSync(path.join(dir, 'c.ran')), false);
  assert.match(
    timed.stderr,
    /stopped by --fail-fast at job1 \(timeout\): 0 running jobs stopped, 1 not started/,
  );
  assertNothingAlive(marker);
});

test('workflow defaults.fail_fast stops the run; --no-fail-fast runs every phase', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  writeFileSync(
    path.join(dir, 'flow.yaml'),
    [
      'name: ff',
      'defaults:',
      '  fail_fast: true',
      '  agent: command',
      '  concurrency: 2',
      'dirs:',
      '  logs: logs',
      'phases:',
      '  - id: slow',
      '    command: sleep 30',
      '  - id: bad',
      '    command: sleep 0.2; exit 2',
      '  - id: after',
      '    needs: [slow]',
      '    command: touch after.ran',
      '  - id: other',
      '    command: touch other.ran',
      '',
    ].join('\n'),
  );
  const run = await runCli(['run', 'flow.yaml', '--kill-after', '0.5'], {
    cwd: dir,
    env: parexEnv(marker),
  });
  assert.equal(run.code, 1, run.stderr);
  assertNothingAlive(marker);
  for (const file of ['after.ran', 'other.ran'])
    assert.equal(existsSync(path.join(dir, file)), false);
  assert.match(run.stderr, /stopped by --fail-fast at bad \(failed\)/);
  const ends = endLines(manifestLines(path.join(dir, 'logs', 'manifest.jsonl')));
  assert.equal(onlyLineOf(ends, 'slow').outcome, 'cancelled');

  writeFileSync(path.join(dir, 'flow.yaml'), `${readFlow(dir).replace('sleep 30', 'sleep 0.1')}`);
  const all = await runCli(['run', 'flow.yaml', '--no-fail-fast', '--force'], {
    cwd: dir,
    env: parexEnv(marker),
  });
  assert.equal(all.code, 1, all.stderr);
  for (const file of ['after.ran', 'other.ran']) assert.ok(existsSync(path.join(dir, file)), file);
});

function readFlow(dir: string): string {
  return readFileSync(path.join(dir, 'flow.yaml'), 'utf8');
}
