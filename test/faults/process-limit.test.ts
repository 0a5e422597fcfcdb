// A process limit (ulimit -u) is a spawn error per job, never an abort: parex starts libuv's
// thread pool before its first spawn (without that, the first fdatasync aborted it, exit 134),
// jobs that cannot be forked are SPAWN ERROR with the errno in words, the run ends with its
// summary and every completion line; and when even the fork server cannot start, jobs fall
// back to Node's spawn with a warning. Run as a user of its own (root ignores the limit).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import path from 'node:path';
import test, { type TestContext } from 'node:test';

import { endLines, parexEnv } from '../helpers/exec.js';
import { assertNoneMarked, wholeManifest } from '../helpers/faults.js';
import { CLI_PATH } from '../helpers/paths.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

/** A uid of its own for each run, so that no other process (not even what the run before
 * left for a moment) counts against the limit. */
let nextUid = 40_000 + (process.pid % 5_000) * 4;

/** Runs `node ARGS` as UID with at most LIMIT processes (ulimit -u); null where that is
 * impossible (not root, no prlimit or setpriv). */
function asLimitedUser(
  limit: number,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): { status: number | null; stdout: string; stderr: string } | null {
  const uid = String(nextUid++);
  const done = spawnSync(
    'prlimit',
    [
      `--nproc=${limit}:${limit}`,
      '--',
      'setpriv',
      `--reuid=${uid}`,
      `--regid=${uid}`,
      '--clear-groups',
      process.execPath,
      ...args,
    ],
    { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 },
  );
  if (done.error !== undefined || /(setpriv|prlimit): /.test(done.stderr)) return null;
  return { status: done.status, stdout: done.stdout, stderr: done.stderr };
}

/** How many threads a Node process has once its thread pool runs (what parex needs first). */
function nodeThreads(t: TestContext): number | null {
  const dir = limitedDir(t);
  const probe = asLimitedUser(
    1000,
    [
      '-e',
      "require('fs').access('/', () => console.log(require('fs').readdirSync('/proc/self/task').length))",
    ],
    dir,
    {},
  );
  return probe === null || probe.status !== 0 ? null : Number(probe.stdout.trim());
}

function limitedDir(t: TestContext): string {
  const dir = tempDir(t);
  chmodSync(dir, 0o777);
  return dir;
}

test('a process limit: the jobs that cannot start are spawn errors, the run ends with its summary', async (t) => {
  const threads = nodeThreads(t);
  if (threads === null) {
    t.skip('cannot run as another user with a process limit here (needs root and setpriv)');
    return;
  }
  const dir = limitedDir(t);
  const marker = killedAfter(t);
  const jobs = Array.from({ length: 12 }, () => 'sleep 1');
  // Room for parex, its thread pool, the fork server and two or three jobs.
  const run = asLimitedUser(
    threads + 4,
    [CLI_PATH, 'exec', '--log-dir', path.join(dir, 'logs'), '--', ...jobs],
    dir,
    parexEnv(marker),
  );
  assert.ok(run !== null);
  assertNoneMarked(marker);
  assert.equal(run.status, 1, run.stderr);
  assert.match(
    run.stderr,
    /SPAWN ERROR \(\/bin\/sh: could not start: too many processes \(the process limit, ulimit -u, is reached\) \(EAGAIN\)\)/,
  );
  assert.match(run.stderr, /^parex: summary of run /m);
  const ends = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  assert.equal(ends.length, jobs.length, 'a completion line for every job');
  assert.ok(ends.some((end) => end.outcome === 'spawn_error'));
});

test('a fork server that cannot start: a warning, and the jobs go through Node spawn', async (t) => {
  const threads = nodeThreads(t);
  if (threads === null) {
    t.skip('cannot run as another user with a process limit here (needs root and setpriv)');
    return;
  }
  const dir = limitedDir(t);
  const marker = killedAfter(t);
  // Exactly parex and its thread pool: perl cannot start, nor any job.
  const run = asLimitedUser(
    threads,
    [CLI_PATH, 'exec', '--log-dir', path.join(dir, 'logs'), '--', 'true', 'true'],
    dir,
    parexEnv(marker),
  );
  assert.ok(run !== null);
  assertNoneMarked(marker);
  assert.equal(run.status, 1, run.stderr);
  assert.match(
    run.stderr,
    /\[parex\] warning: the fork server could not start \(spawn \S*perl EAGAIN\): jobs start with Node's spawn/,
  );
  assert.match(run.stderr, /SPAWN ERROR \(\/bin\/sh: could not start: too many processes/);
  assert.equal(endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl'))).length, 2);
});
