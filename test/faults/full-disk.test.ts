// A record that cannot be written never leaves a job unwatched: on a small tmpfs that fills
// up, the manifest write that fails stops the run as SIGTERM would (the running job down its
// ladder, nothing more started), every job is in the summary, the manifest keeps only whole
// lines, and parex exits 1 naming the file and the errno. A throwing onEvent from the library
// does the same. (Mounting needs root: the tmpfs case is skipped elsewhere.)
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { runGroup } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { endLines, onlyLineOf, parexEnv } from '../helpers/exec.js';
import {
  afterSleeperStarted,
  assertNoneMarked,
  assertStoppedByFault,
  execBesideSleeper,
  smallDisk,
  statusJson,
  wholeManifest,
} from '../helpers/faults.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

test('a full disk: the failed manifest write stops the run, every job stopped and in the summary, only whole lines, exit 1', async (t) => {
  const disk = smallDisk(t, '2m');
  if (disk === null) {
    t.skip('cannot mount a tmpfs here (needs root)');
    return;
  }
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const logDir = path.join(disk, 'logs');
  // The sleeper runs throughout; in the other slot, `fill` fills the disk, then one short job
  // after another adds lines until the manifest needs a page the disk no longer has.
  const quick = Array.from({ length: 30 }, () => 'true');
  const names = ['sleeper', 'fill', ...quick.map((_, index) => `q${index + 1}`)];
  const stopped = await execBesideSleeper(
    logDir,
    [
      // Filled only once the sleeper's start line is down.
      ['fill', `${afterSleeperStarted(logDir)}; head -c 3000000 /dev/zero; exit 0`],
      ...quick.map((command, index) => [`q${index + 1}`, command] as const),
    ],
    dir,
    marker,
  );
  const manifest = path.join(logDir, 'manifest.jsonl');
  assertStoppedByFault(
    stopped,
    marker,
    names,
    new RegExp(
      `parex: could not write the manifest ${manifest} \\(ENOSPC: no space left on device\\)`,
    ),
  );
  // Only whole lines on disk, and they say what they can: the sleeper started.
  const lines = wholeManifest(manifest);
  assert.ok(lines.some((line) => line.phase === 'sleeper' && line.status === 'started'));
  assert.ok(endLines(lines).length < names.length, 'some completion lines could not be written');
});

test('a reader of a torn manifest gets every whole line', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const first = await runCli(['exec', '--log-dir', 'logs', '--', 'true', 'exit 3'], {
    cwd: dir,
    env: parexEnv(marker),
  });
  assert.equal(first.code, 1, first.stderr);
  const manifest = path.join(dir, 'logs', 'manifest.jsonl');
  const lines = wholeManifest(manifest);
  // A line cut at a page boundary, as a full disk leaves it when nothing cuts it back.
  writeFileSync(
    manifest,
    `${lines.map((line) => JSON.stringify(line)).join('\n')}\n{"phase":"job3","sta`,
  );
  const jobs = await statusJson(dir, 'logs', parexEnv(marker));
  assert.deepEqual(
    jobs.map((job) => [job.name, job.state]),
    [
      ['job1', 'success'],
      ['job2', 'failed'],
    ],
  );
});

test('library: an onEvent that throws on job-start stops the run; the job is stopped and in the result', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const started = performance.now();
  const result = await runGroup({
    jobs: [
      { name: 'a', command: 'sleep 30', timeoutSec: 0.5 },
      { name: 'b', command: 'sleep 30' },
    ],
    concurrency: 1,
    logDir: dir,
    killAfterSec: 1,
    env: { ...process.env, PAREX_TEST_MARKER: marker },
    onEvent: (event) => {
      if (event.type === 'job-start') throw new Error('the caller broke');
    },
  });
  const elapsed = performance.now() - started;
  // Stopped at once (or by its 0.5 s timeout at worst), not after its 30 s: a generous bound
  // for a loaded machine.
  assert.ok(elapsed < 15_000, `the job outlived its timeout: ${Math.round(elapsed)} ms`);
  assertNoneMarked(marker);
  assert.equal(result.ok, false);
  assert.match(
    result.error ?? '',
    /^the onEvent callback threw on a job-start event \(Error: the caller broke\)$/,
  );
  assert.deepEqual(
    result.results.map((job) => [job.name, job.outcome]),
    [['a', 'cancelled']],
  );
  assert.deepEqual(result.notStarted, ['b']);
  const ends = endLines(wholeManifest(result.manifestPath));
  assert.equal(onlyLineOf(ends, 'a').outcome, 'cancelled');
});
