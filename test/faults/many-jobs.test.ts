// 200 short jobs at -j 64: each has exactly one start and one completion line, all succeed, never
// more than 64 run at once (from the manifest's times), and nothing is left behind.
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import {
  endLines,
  type Interval,
  maxOverlap,
  parexEnv,
  runIdOf,
  startLines,
  text,
} from '../helpers/exec.js';
import { assertNoneMarked, waitUntilWatchdogGone, wholeManifest } from '../helpers/faults.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

const JOBS = 200;
const LIMIT = 64;
/** End times are rounded to the millisecond and the next start is taken right after (see exec-concurrency). */
const ROUNDING_MS = 2;

test(`${JOBS} jobs at -j ${LIMIT}: one start and one end line each, at most ${LIMIT} at once`, async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const names = Array.from({ length: JOBS }, (_, i) => `n${String(i + 1).padStart(3, '0')}`);
  const commands = names.map((_, i) => `sleep 0.0${i % 10}; echo ${i}`);
  const run = await runCli(
    [
      'exec',
      '-j',
      String(LIMIT),
      '--names',
      names.join(','),
      '--log-dir',
      'logs',
      '--',
      ...commands,
    ],
    { cwd: dir, env: parexEnv(marker), limitMs: 60_000 },
  );

  assert.equal(run.code, 0, run.stderr.slice(-3000));
  assertNoneMarked(marker);
  await waitUntilWatchdogGone(runIdOf(run.stderr));
  const lines = wholeManifest(path.join(dir, 'logs', 'manifest.jsonl'));
  assert.equal(lines.length, 2 * JOBS);
  const starts = startLines(lines);
  const ends = endLines(lines);
  assert.deepEqual(starts.map((line) => line.phase).sort(), names);
  assert.deepEqual(ends.map((line) => line.phase).sort(), names);
  for (const end of ends) {
    assert.equal(end.outcome, 'success', JSON.stringify(end));
    assert.equal(end.reaped_leftovers, false, JSON.stringify(end));
  }
  const spans: Interval[] = ends.map((line) => {
    const start = Date.parse(text(line, 'started_at'));
    const end = Date.parse(text(line, 'ended_at'));
    return { start, end: Math.max(start, end - ROUNDING_MS) };
  });
  const most = maxOverlap(spans);
  t.diagnostic(`at most ${most} jobs at once`);
  assert.ok(most <= LIMIT, `the manifest shows ${most} jobs at once`);
  assert.ok(most >= 2, 'the jobs never overlapped');
});
