// How a job's log is opened when a file is already there, in both launchers (the fork server and
// parex's own spawn): one with bytes is emptied, an empty one is not truncated at all (on ext4 a
// truncate to 0 has the file written out at its close, and the manifest's next fdatasync waits
// for it: docs/design.md). Linux's ftruncate updates the modification time even of an empty
// file, so an old time that survives the run shows that no truncate happened.
import assert from 'node:assert/strict';
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { runGroup } from '../../src/index.js';
import { tempDir } from '../helpers/tmp.js';

/** 2001-09-09: long before any run of this test. */
const OLD_SECONDS = 1_000_000_000;

for (const forkServer of [true, false]) {
  const launcher = forkServer ? 'the fork server' : "parex's own spawn";
  test(`through ${launcher}: a log with bytes is emptied, an empty one is not truncated`, async (t) => {
    const dir = tempDir(t);
    const empty = path.join(dir, 'quiet.log');
    const full = path.join(dir, 'loud.log');
    writeFileSync(empty, '');
    writeFileSync(full, 'an earlier attempt wrote this\n');
    for (const file of [empty, full]) utimesSync(file, OLD_SECONDS, OLD_SECONDS);
    const result = await runGroup({
      jobs: [
        { name: 'quiet', command: 'true' },
        { name: 'loud', command: 'echo new' },
      ],
      logDir: dir,
      forkServer,
    });
    assert.deepEqual(
      result.results.map((job) => [job.name, job.exitCode]),
      [
        ['quiet', 0],
        ['loud', 0],
      ],
    );
    assert.equal(readFileSync(full, 'utf8'), 'new\n');
    assert.equal(statSync(empty).size, 0);
    assert.equal(statSync(empty).mtimeMs, OLD_SECONDS * 1000, 'the empty log was truncated');
    assert.ok(statSync(full).mtimeMs > OLD_SECONDS * 1000);
  });
}
