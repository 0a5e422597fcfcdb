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

/** `parex exec --log-dir DIR/logs -- COMMANDS` under a limit of `room` processes more than
 * parex and its thread pool need; null (the test skipped) where that cannot be done. */
function execLimited(
  t: TestContext,
  room: number,
  commands: readonly string[],
): { run: { status: number | null; stderr: string }; ends: Record<string, unknown>[] } | null {
  const threads = nodeThreads(t);
  if (threads === null) {
    t.skip('cannot run as another user with a process limit here (needs root, prlimit, setpriv)');
    return null;
  }
  const dir = limitedDir(t);
  const marker = killedAfter(t);
  const logs = path.join(dir, 'logs');
  const run = asLimitedUser(
    threads + room,
    [CLI_PATH, 'exec', '--log-dir', logs, '--', ...commands],
    dir,
    parexEnv(marker),
  );
  assert.ok(run !== null);
  assertNoneMarked(marker);
  assert.equal(run.status, 1, run.stderr);
  return { run, ends: endLines(wholeManifest(path.join(logs, 'manifest.jsonl'))) };
}

test('a process limit: the jobs that cannot start are spawn errors, the run ends with its summary', (t) => {
  const jobs = Array.from({ length: 12 }, () => 'sleep 1');
  // Room for the fork server and two or three jobs.
  const limited = execLimited(t, 4, jobs);
  if (limited === null) return;
  const { run, ends } = limited;
  assert.match(
    run.stderr,
    /SPAWN ERROR \(\/bin\/sh: could not start: too many processes \(the process limit, ulimit -u, is reached\) \(EAGAIN\)\)/,
  );
  assert.match(run.stderr, /^parex: summary of run /m);
  assert.equal(ends.length, jobs.length, 'a completion line for every job');
  assert.ok(ends.some((end) => end.outcome === 'spawn_error'));
});

test('a fork server that cannot start: a warning, and the jobs go through Node spawn', (t) => {
  // No room at all: perl cannot start, nor any job.
  const limited = execLimited(t, 0, ['true', 'true']);
  if (limited === null) return;
  const { run, ends } = limited;
  assert.match(
    run.stderr,
    /\[parex\] warning: the fork server could not start \(spawn \S*perl EAGAIN\): jobs start with Node's spawn/,
  );
  assert.match(run.stderr, /SPAWN ERROR \(\/bin\/sh: could not start: too many processes/);
  assert.equal(ends.length, 2);
});
