// SIGHUP to parex (its terminal closed): the grace is cut to 1 s whatever --kill-after says, so
// every job, even one that ignores SIGTERM, is killed after 1 s (as its record says) and gone
// long before the 20 s grace, and parex exits 129.
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';

import { endLines, onlyLineOf, parexEnv, startCli, waitForStderrCount } from '../helpers/exec.js';
import {
  assertNoneMarked,
  GONE_WITHIN_MS,
  waitForMarked,
  waitUntilNoneMarked,
  wholeManifest,
} from '../helpers/faults.js';
import { killedAfter, killMarked } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

test('SIGHUP with --kill-after 20 and a TERM-ignoring job: exit 129, SIGKILL after 1 s, every job gone', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const { child, done } = startCli(
    [
      'exec',
      '--names',
      'plain,stubborn,tree',
      '--kill-after',
      '20',
      '--log-dir',
      'logs',
      '--',
      'sleep 30',
      "trap '' TERM; sleep 30",
      "sh -c 'sleep 30 & sleep 30' & trap '' TERM; wait",
    ],
    { cwd: dir, env: parexEnv(marker) },
  );
  await waitForStderrCount(child, '[parex] started ', 3);
  await waitForMarked(marker, 4, 'sleep 30');
  const signalledAt = performance.now();
  child.kill('SIGHUP');
  const [, run] = await Promise.all([waitUntilNoneMarked(marker, GONE_WITHIN_MS), done]);
  const tookMs = performance.now() - signalledAt;
  t.diagnostic(`parex exited and every job was gone ${Math.round(tookMs)} ms after SIGHUP`);

  assert.equal(run.code, 129, run.stderr);
  assert.ok(tookMs < GONE_WITHIN_MS, `took ${Math.round(tookMs)} ms`);
  assertNoneMarked(marker);
  assert.match(
    run.stderr,
    /SIGHUP received: stopping every job \(SIGTERM, then SIGKILL after 1s\)/,
  );
  const lines = wholeManifest(path.join(dir, 'logs', 'manifest.jsonl'));
  const ends = endLines(lines);
  assert.equal(ends.length, 3);
  for (const end of ends) assert.equal(end.outcome, 'cancelled', JSON.stringify(end));
  const stubborn = onlyLineOf(ends, 'stubborn');
  assert.deepEqual(stubborn.signals_sent, ['SIGTERM', 'SIGKILL']);
  // The grace parex waited, by its own clock: the cut 1 s, not the 20 s of --kill-after.
  const waited = Number(stubborn.killed_after_ms);
  assert.ok(waited >= 900 && waited < GONE_WITHIN_MS, JSON.stringify(stubborn));
  assert.deepEqual(onlyLineOf(ends, 'plain').signals_sent, ['SIGTERM']);
});

test('SIGHUP with --kill-after 20: a setsid escapee that ignores SIGTERM is gone long before the grace too', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const { child, done } = startCli(
    [
      'exec',
      '--names',
      'escaper',
      '--kill-after',
      '20',
      '--log-dir',
      'logs',
      '--',
      `setsid sh -c "trap '' TERM; sleep 30" & sleep 30`,
    ],
    { cwd: dir, env: parexEnv(marker), limitMs: 30_000 },
  );
  await waitForStderrCount(child, '[parex] started ', 1);
  await waitForMarked(marker, 2, 'sleep 30');
  const signalledAt = performance.now();
  child.kill('SIGHUP');
  let survived: unknown = null;
  try {
    await waitUntilNoneMarked(marker, GONE_WITHIN_MS);
  } catch (error) {
    survived = error;
    killMarked(marker); // lets parex's sweep end now rather than after 20 s
  }
  const run = await done;
  if (survived !== null) throw survived;
  assert.equal(run.code, 129, run.stderr);
  assert.ok(performance.now() - signalledAt < GONE_WITHIN_MS);
});
