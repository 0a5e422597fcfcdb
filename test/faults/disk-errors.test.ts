// A disk that fails mid-run, with the kernel's own errors (test/helpers/faulty-disk.ts: ext4 on a
// loop device, turned read-only by an ext4 error for EROFS, shut down for EIO): the manifest
// write that fails stops the run as SIGTERM would, every job stopped by its ladder and kept in
// the result and the summary, the error names the file and the errno, exit 1. The job that
// breaks the disk runs beside a sleeper, so the failure comes while a job is running.
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';

import { runGroup } from '../../src/index.js';
import { endLines } from '../helpers/exec.js';
import {
  afterSleeperStarted,
  assertNoneMarked,
  assertStoppedByFault,
  execBesideSleeper,
  wholeManifest,
} from '../helpers/faults.js';
import { type DiskFault, faultyDisk } from '../helpers/faulty-disk.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

const WORDS: Readonly<Record<DiskFault, string>> = {
  EROFS: 'EROFS: read-only file system',
  EIO: 'EIO: i/o error',
};

/** The error a failed manifest write must give, for `manifest` and `fault`. */
function manifestError(manifest: string, fault: DiskFault): RegExp {
  const file = manifest.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`could not (write|flush) the manifest ${file} \\(${WORDS[fault]}\\)`);
}

for (const fault of ['EROFS', 'EIO'] as const) {
  test(`${fault} mid-run: the run stops, every job stopped and in the summary, the file and errno named, exit 1`, async (t) => {
    const disk = faultyDisk(t, fault);
    if (typeof disk === 'string') {
      t.skip(disk);
      return;
    }
    const dir = tempDir(t);
    const marker = killedAfter(t);
    const logDir = path.join(disk.dir, 'logs');
    const quick = ['true', 'true', 'true', 'true'];
    const names = ['sleeper', 'breaker', ...quick.map((_, index) => `q${index + 1}`)];
    const stopped = await execBesideSleeper(
      logDir,
      [
        ['breaker', `${afterSleeperStarted(logDir)}; sleep 0.2 && ${disk.breakCommand}`],
        ...quick.map((command, index) => [`q${index + 1}`, command] as const),
      ],
      dir,
      marker,
      'echo working; sleep 30',
    );
    const manifest = path.join(logDir, 'manifest.jsonl');
    assertStoppedByFault(stopped, marker, names, manifestError(manifest, fault));
    const { run } = stopped;
    assert.match(run.stderr, /^ {2}breaker +.+ {2}SUCCESS /m);
    assert.match(run.stderr, /^ {2}q1 +NOT STARTED \(run cancelled\)/m);
    // A read-only disk can still be read; a shut-down one cannot, and the tail says so.
    const tail = fault === 'EIO' ? ' {2}\\(its log could not be read: EIO\\)' : ' {2}│ working';
    assert.match(
      run.stderr,
      new RegExp(`── sleeper · .*\\n {2}\\$ echo working; sleep 30\\n${tail}\\n`),
    );
    if (fault === 'EROFS') {
      // A read-only disk can still be read: only whole lines, and the sleeper's start is there.
      const lines = wholeManifest(manifest);
      assert.ok(lines.some((line) => line.phase === 'sleeper' && line.status === 'started'));
      assert.equal(endLines(lines).length, 0, 'no completion line could be written');
    }
  });

  test(`library: ${fault} mid-run: the result keeps every job, the sleeper stopped, the error names the manifest`, async (t) => {
    const disk = faultyDisk(t, fault);
    if (typeof disk === 'string') {
      t.skip(disk);
      return;
    }
    const marker = killedAfter(t);
    const started = performance.now();
    const result = await runGroup({
      jobs: [
        { name: 'sleeper', command: 'sleep 30', timeoutSec: 60 },
        { name: 'breaker', command: `sleep 0.5 && ${disk.breakCommand}` },
        { name: 'q1', command: 'true' },
        { name: 'q2', command: 'true' },
      ],
      concurrency: 2,
      logDir: path.join(disk.dir, 'logs'),
      killAfterSec: 1,
      env: { ...process.env, PAREX_TEST_MARKER: marker },
    });
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 20_000, `the sleeper was not stopped: ${Math.round(elapsed)} ms`);
    assertNoneMarked(marker);
    assert.equal(result.ok, false);
    assert.match(result.error ?? '', manifestError(result.manifestPath, fault));
    assert.deepEqual(result.results.map((job) => [job.name, job.outcome]).sort(), [
      ['breaker', 'success'],
      ['sleeper', 'cancelled'],
    ]);
    assert.deepEqual(result.notStarted, ['q1', 'q2']);
  });
}
