// A log directory or a manifest parex cannot write: a clear error and exit 2 before anything
// spawns. The suite runs as root, for whom permission bits mean nothing, so the failures are made
// with paths under a regular file, a directory or a dangling symlink in the manifest's place, and
// immutable files (chattr +i) where the file system allows it.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import test, { type TestContext } from 'node:test';

import { type CliRun, runCli } from '../helpers/cli.js';
import { parexEnv } from '../helpers/exec.js';
import { assertNoneMarked, chattr, immutableWorks } from '../helpers/faults.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

/** Runs a job that would create `ran` in `dir`, logging to `logDir`. */
async function tryRun(t: TestContext, dir: string, logDir: string): Promise<CliRun> {
  const marker = killedAfter(t);
  const run = await runCli(['exec', '--log-dir', logDir, '--', 'touch ran; sleep 5'], {
    cwd: dir,
    env: parexEnv(marker),
  });
  assertNoneMarked(marker);
  return run;
}

/** Exit 2, a three-part error naming the directory and the cause, nothing run, nothing recorded. */
function assertRefused(run: CliRun, dir: string, logDir: string, code: string): void {
  assert.equal(run.code, 2, run.stderr);
  const shown = path.resolve(dir, logDir);
  assert.ok(
    run.stderr.startsWith(`parex: cannot write to the log directory ${shown} (${code})\n`),
    run.stderr,
  );
  assert.match(run.stderr, /^ {2}why: .+$/m);
  assert.match(run.stderr, /^ {2}fix: .+$/m);
  assert.doesNotMatch(run.stderr, /\[parex\] (run|started)/);
  assert.equal(existsSync(path.join(dir, 'ran')), false, 'the job ran');
  assert.equal(existsSync(path.join(dir, '.parex', 'runs', 'history.jsonl')), false);
}

test('a log directory under a regular file: exit 2, nothing spawned', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'somefile'), 'x');
  const run = await tryRun(t, dir, 'somefile/sub');
  assertRefused(run, dir, 'somefile/sub', 'ENOTDIR');
});

test('a log directory that is a regular file: exit 2, nothing spawned', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'logs'), 'x');
  const run = await tryRun(t, dir, 'logs');
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /the log directory \S+logs exists and is not a directory/);
  assert.equal(existsSync(path.join(dir, 'ran')), false);
  assert.equal(readFileSync(path.join(dir, 'logs'), 'utf8'), 'x');
});

test('an immutable log directory (chattr +i), or one inside it: exit 2, nothing spawned', async (t) => {
  const dir = tempDir(t);
  if (!immutableWorks(dir)) {
    t.skip('chattr +i does not work here (not root, or a file system without it)');
    return;
  }
  const locked = path.join(dir, 'locked');
  mkdirSync(locked);
  assert.ok(chattr('+i', locked));
  try {
    assertRefused(await tryRun(t, dir, 'locked'), dir, 'locked', 'EPERM');
    assertRefused(await tryRun(t, dir, 'locked/sub'), dir, 'locked/sub', 'EPERM');
  } finally {
    chattr('-i', locked);
  }
});

test('a manifest that is a directory: exit 2, nothing spawned, no lock left', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'logs', 'manifest.jsonl'), { recursive: true });
  const run = await tryRun(t, dir, 'logs');
  assertRefused(run, dir, 'logs', 'EISDIR');
  assert.equal(existsSync(path.join(dir, 'logs', '.parex.lock')), false);
  assert.equal(existsSync(path.join(dir, 'logs', 'job1.log')), false);
});

test('a manifest that is a dangling symlink into a missing directory: exit 2, nothing spawned', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'logs'));
  symlinkSync(
    path.join(dir, 'missing', 'manifest.jsonl'),
    path.join(dir, 'logs', 'manifest.jsonl'),
  );
  const run = await tryRun(t, dir, 'logs');
  assert.equal(run.code, 2, run.stderr);
  assert.ok(
    run.stderr.startsWith(
      `parex: the manifest, ${path.join(dir, 'logs', 'manifest.jsonl')}, is a symbolic link\n`,
    ),
    run.stderr,
  );
  assert.equal(existsSync(path.join(dir, 'ran')), false, 'the job ran');
  assert.equal(existsSync(path.join(dir, 'missing')), false);
  assert.equal(existsSync(path.join(dir, 'logs', '.parex.lock')), false);
});

test('an immutable manifest (chattr +i) from an earlier run: exit 2, nothing spawned, it is unchanged', async (t) => {
  const dir = tempDir(t);
  if (!immutableWorks(dir)) {
    t.skip('chattr +i does not work here (not root, or a file system without it)');
    return;
  }
  const marker = killedAfter(t);
  const first = await runCli(['exec', '--log-dir', 'logs', '--', 'echo first'], {
    cwd: dir,
    env: parexEnv(marker),
  });
  assert.equal(first.code, 0, first.stderr);
  const manifest = path.join(dir, 'logs', 'manifest.jsonl');
  const before = readFileSync(manifest, 'utf8');
  assert.ok(chattr('+i', manifest));
  let run: CliRun;
  try {
    run = await tryRun(t, dir, 'logs');
  } finally {
    chattr('-i', manifest);
  }
  assert.equal(run.code, 2, run.stderr);
  assert.ok(
    run.stderr.startsWith(
      `parex: cannot write to the log directory ${path.join(dir, 'logs')} (EPERM)\n`,
    ),
    run.stderr,
  );
  assert.equal(existsSync(path.join(dir, 'ran')), false, 'the job ran');
  assert.equal(readFileSync(manifest, 'utf8'), before);
  assert.equal(existsSync(path.join(dir, 'logs', '.parex.lock')), false);
});
