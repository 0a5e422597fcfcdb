// -j 4 with 50 jobs: never more than 4 at once, and really more than one at once, measured both
// by the jobs themselves (their own clock readings) and by the manifest's start and end times.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import {
  assertNothingAlive,
  endLines,
  type Interval,
  maxOverlap,
  parexEnv,
  startLines,
  text,
} from '../helpers/exec.js';
import { manifestLines } from '../helpers/manifest.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

const JOBS = 50;
const LIMIT = 4;
/**
 * The manifest's end time is taken when parex sees the exit, rounded to the millisecond, and the
 * next job's start is taken right after; shaving this much off each end keeps rounding from
 * counting as an overlap, while a fifth job really running at once would overlap by ~50 ms.
 */
const ROUNDING_MS = 2;

test(`${JOBS} jobs with -j ${LIMIT} run at most ${LIMIT} (and at least 2) at once`, async (t) => {
  const dir = tempDir(t);
  const marks = path.join(dir, 'marks');
  mkdirSync(marks);
  const marker = killedAfter(t);
  const names = Array.from({ length: JOBS }, (_, i) => `j${String(i + 1).padStart(2, '0')}`);
  const commands = names.map((name) => {
    const file = path.join(marks, `${name}.txt`);
    return `echo "start $(date +%s%N)" >> '${file}'; sleep 0.05; echo "end $(date +%s%N)" >> '${file}'`;
  });

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
    { cwd: dir, env: parexEnv(marker) },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, new RegExp(`: ${JOBS} jobs, ${LIMIT} at a time,`));
  assertNothingAlive(marker);

  // What the jobs saw, in nanoseconds since the epoch (too large for a double, hence BigInt),
  // taken relative to the first job's start so that the differences fit a number exactly.
  const raw = names.map((name) => {
    const content = readFileSync(path.join(marks, `${name}.txt`), 'utf8');
    const match = /^start (\d+)\nend (\d+)\n$/.exec(content);
    assert.ok(match?.[1] !== undefined && match[2] !== undefined, `${name}: ${content}`);
    return { start: BigInt(match[1]), end: BigInt(match[2]) };
  });
  const base = raw[0]?.start ?? 0n;
  const fromJobs: Interval[] = raw.map((span) => ({
    start: Number(span.start - base),
    end: Number(span.end - base),
  }));
  const jobOverlap = maxOverlap(fromJobs);
  assert.ok(jobOverlap <= LIMIT, `jobs saw ${jobOverlap} running at once`);
  assert.ok(jobOverlap >= 2, `jobs never overlapped (max ${jobOverlap})`);

  const lines = manifestLines(path.join(dir, 'logs', 'manifest.jsonl'));
  assert.equal(startLines(lines).length, JOBS);
  const ends = endLines(lines);
  assert.equal(ends.length, JOBS);
  assert.deepEqual(ends.map((line) => line.phase).sort(), names);
  for (const line of ends) assert.equal(line.outcome, 'success', JSON.stringify(line));
  const fromManifest: Interval[] = ends.map((line) => {
    const start = Date.parse(text(line, 'started_at'));
    const end = Date.parse(text(line, 'ended_at'));
    return { start, end: Math.max(start, end - ROUNDING_MS) };
  });
  const manifestOverlap = maxOverlap(fromManifest);
  assert.ok(manifestOverlap <= LIMIT, `manifest shows ${manifestOverlap} running at once`);
  assert.ok(manifestOverlap >= 2, `manifest shows no overlap (max ${manifestOverlap})`);
});
