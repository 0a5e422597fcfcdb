// Jobs that misbehave towards their runner: one starts a setsid daemon and exits, one closes its
// output early and keeps running, one exits while a grandchild still holds its output. Each is
// recorded correctly and leaves nothing behind.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import { endLines, num, onlyLineOf, parexEnv, runIdOf } from '../helpers/exec.js';
import { assertNoneMarked, waitUntilWatchdogGone, wholeManifest } from '../helpers/faults.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

test('a job that starts a setsid daemon succeeds; the daemon is swept, with a warning', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const started = performance.now();
  const run = await runCli(
    [
      'exec',
      '--names',
      'daemonizer,bystander',
      '--kill-after',
      '1',
      '--log-dir',
      'logs',
      '--',
      // The daemon writes its pid, then outlives the job in a session of its own.
      `setsid sh -c 'echo $$ > daemon.pid; exec sleep 300' & sleep 0.3; echo done`,
      'sleep 0.5; echo fine',
    ],
    { cwd: dir, env: parexEnv(marker) },
  );
  const tookMs = performance.now() - started;

  assert.equal(run.code, 0, run.stderr);
  assert.ok(tookMs < 15_000, `parex took ${Math.round(tookMs)} ms`);
  assertNoneMarked(marker);
  await waitUntilWatchdogGone(runIdOf(run.stderr));
  const daemon = Number(readFileSync(path.join(dir, 'daemon.pid'), 'utf8'));
  assert.ok(daemon > 0);
  assert.equal(isLiving(daemon), false, `the daemon ${daemon} is alive`);
  assert.match(
    run.stderr,
    /\[parex\] job daemonizer left 1 process outside its process group \(setsid or double fork\); stopped them/,
  );
  assert.doesNotMatch(run.stderr, /job bystander left/);
  const ends = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  assert.equal(onlyLineOf(ends, 'daemonizer').outcome, 'success');
  assert.equal(onlyLineOf(ends, 'bystander').outcome, 'success');
  assert.equal(readFileSync(path.join(dir, 'logs', 'daemonizer.log'), 'utf8'), 'done\n');
});

test('a job that closes stdout and stderr early and keeps running is waited for, or timed out', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const run = await runCli(
    [
      'exec',
      '--names',
      'quiet,silent-forever',
      '--timeout',
      '2',
      '--kill-after',
      '0.5',
      '--log-dir',
      'logs',
      '--',
      'echo before; exec >&- 2>&-; sleep 1; echo after-close > finished.txt; exit 3',
      'echo before; exec >&- 2>&-; sleep 30',
    ],
    { cwd: dir, env: parexEnv(marker) },
  );

  assert.equal(run.code, 1, run.stderr);
  assertNoneMarked(marker);
  assert.equal(readFileSync(path.join(dir, 'finished.txt'), 'utf8'), 'after-close\n');
  const ends = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  const quiet = onlyLineOf(ends, 'quiet');
  assert.equal(quiet.outcome, 'failed');
  assert.equal(quiet.exit_code, 3);
  assert.ok(num(quiet, 'duration_ms') >= 900, `quiet took ${quiet.duration_ms} ms`);
  const forever = onlyLineOf(ends, 'silent-forever');
  assert.equal(forever.outcome, 'timeout', JSON.stringify(forever));
  assert.equal(forever.exit_code, 124);
  assert.deepEqual(forever.signals_sent, ['SIGTERM']);
  assert.ok(num(forever, 'duration_ms') >= 1900 && num(forever, 'duration_ms') < 10_000);
  for (const name of ['quiet', 'silent-forever'])
    assert.equal(readFileSync(path.join(dir, 'logs', `${name}.log`), 'utf8'), 'before\n');
  assert.match(run.stderr, /finished silent-forever \(pid \d+\): TIMEOUT \(exceeded 2s\)/);
});

test('a job that exits while its grandchild holds the output ends at once; the grandchild is reaped', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const started = performance.now();
  const run = await runCli(
    [
      'exec',
      '--names',
      'parent',
      '--kill-after',
      '1',
      '--log-dir',
      'logs',
      '--',
      'sleep 30 & echo bye',
    ],
    { cwd: dir, env: parexEnv(marker) },
  );
  const tookMs = performance.now() - started;

  assert.equal(run.code, 0, run.stderr);
  assert.ok(tookMs < 10_000, `parex took ${Math.round(tookMs)} ms; the grandchild sleeps 30 s`);
  assertNoneMarked(marker);
  const end = onlyLineOf(
    endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl'))),
    'parent',
  );
  assert.equal(end.outcome, 'success');
  assert.equal(end.exit_code, 0);
  assert.equal(end.reaped_leftovers, true);
  // The job is its shell, which exits at once: not the grandchild's 30 s (loose for a loaded
  // machine).
  assert.ok(num(end, 'duration_ms') < 10_000, `the job took ${end.duration_ms} ms`);
  assert.equal(readFileSync(path.join(dir, 'logs', 'parent.log'), 'utf8'), 'bye\n');
});

/** True while `pid` is a process that is not a zombie. */
function isLiving(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
