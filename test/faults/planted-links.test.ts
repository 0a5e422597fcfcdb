// Planted links and special files: parex never writes through a symbolic link or into a FIFO,
// a device or a socket. One found before the run (a log, the manifest, the lock, the history)
// is an exit-2 error naming it, before anything is spawned; one planted while the run goes on
// is that job's spawn error, in both launchers, with the target untouched and no hang. The
// directory the user names (--log-dir) may itself be a link.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import test, { type TestContext } from 'node:test';

import { runGroup } from '../../src/index.js';
import { type CliRun, runCli } from '../helpers/cli.js';
import { parexEnv } from '../helpers/exec.js';
import { assertNoneMarked } from '../helpers/faults.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

/** A directory with a victim file beside a log directory `L` (already made). */
function plantSite(t: TestContext): { dir: string; victim: string; logs: string } {
  const dir = tempDir(t);
  const victim = path.join(dir, 'victim.txt');
  writeFileSync(victim, 'precious\n');
  const logs = path.join(dir, 'L');
  mkdirSync(logs);
  return { dir, victim, logs };
}

async function execIn(
  t: TestContext,
  dir: string,
  commands: readonly string[],
  options: readonly string[] = [],
): Promise<CliRun> {
  const marker = killedAfter(t);
  const run = await runCli(['exec', '--log-dir', 'L', ...options, '--', ...commands], {
    cwd: dir,
    env: parexEnv(marker),
    limitMs: 20_000,
  });
  assertNoneMarked(marker);
  return run;
}

/** Exit 2 naming `file` as `kind`, with why and fix; nothing ran. */
function assertRefused(run: CliRun, what: string, file: string, kind: string, dir: string): void {
  assert.equal(run.code, 2, run.stderr);
  assert.ok(run.stderr.startsWith(`parex: ${what}, ${file}, is ${kind}\n`), run.stderr);
  assert.match(run.stderr, /^ {2}why: parex never writes through a link or into a special file/m);
  assert.match(run.stderr, /^ {2}fix: remove it/m);
  assert.doesNotMatch(run.stderr, /\[parex\] started/);
  assert.equal(existsSync(path.join(dir, 'ran')), false, 'a job ran');
}

test('a job log planted as a link to another file: exit 2 naming it, the file untouched', async (t) => {
  const { dir, victim, logs } = plantSite(t);
  symlinkSync('../victim.txt', path.join(logs, 'job1.log'));
  const run = await execIn(t, dir, ['touch ran; echo x']);
  assertRefused(run, 'the log of job1', path.join(logs, 'job1.log'), 'a symbolic link', dir);
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
  assert.equal(existsSync(path.join(logs, '.parex.lock')), false, 'the lock was left');
});

test('a FIFO as the manifest, a link as the lock, a link as a retry log: exit 2 at once', async (t) => {
  const { dir, victim, logs } = plantSite(t);
  execFileSync('mkfifo', [path.join(logs, 'manifest.jsonl')]);
  const started = performance.now();
  const fifo = await execIn(t, dir, ['touch ran']);
  assert.ok(performance.now() - started < 10_000, 'parex blocked on the FIFO');
  assertRefused(fifo, 'the manifest', path.join(logs, 'manifest.jsonl'), 'a FIFO', dir);

  const other = plantSite(t);
  symlinkSync('../victim.txt', path.join(other.logs, '.parex.lock'));
  const lock = await execIn(t, other.dir, ['touch ran']);
  assertRefused(
    lock,
    'the lock file',
    path.join(other.logs, '.parex.lock'),
    'a symbolic link',
    other.dir,
  );

  const third = plantSite(t);
  symlinkSync('../victim.txt', path.join(third.logs, 'job1.attempt2.log'));
  const retry = await execIn(t, third.dir, ['touch ran'], ['--retries', '1']);
  assert.equal(retry.code, 2, retry.stderr);
  assert.match(retry.stderr, /the log of job1, \S+job1\.attempt2\.log, is a symbolic link/);
  for (const site of [victim, other.victim, third.victim])
    assert.equal(readFileSync(site, 'utf8'), 'precious\n');
});

test('the history of runs planted as a link: exit 2 naming it, before anything runs', async (t) => {
  const { dir, victim } = plantSite(t);
  mkdirSync(path.join(dir, '.parex', 'runs'), { recursive: true });
  const history = path.join(dir, '.parex', 'runs', 'history.jsonl');
  symlinkSync('../../victim.txt', history);
  const run = await execIn(t, dir, ['touch ran']);
  assertRefused(run, 'the history of runs', history, 'a symbolic link', dir);
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
  assert.equal(existsSync(path.join(dir, 'L', 'manifest.jsonl')), false);
});

test('--log-dir itself may be a link: the run writes into its target', async (t) => {
  const { dir, logs } = plantSite(t);
  symlinkSync('L', path.join(dir, 'via-link'));
  const marker = killedAfter(t);
  const run = await runCli(['exec', '--log-dir', 'via-link', '--', 'echo through'], {
    cwd: dir,
    env: parexEnv(marker),
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(readFileSync(path.join(logs, 'job1.log'), 'utf8'), 'through\n');
});

for (const forkServer of [true, false]) {
  const launcher = forkServer ? 'the fork server' : "Node's spawn";
  test(`a link or a FIFO planted during the run is that job's spawn error (${launcher}), the target untouched`, async (t) => {
    const { victim, logs } = plantSite(t);
    const marker = killedAfter(t);
    // The first job plants them where the later jobs' logs go, after parex checked the paths.
    const plant = `ln -s ../victim.txt ${logs}/linked.log && mkfifo ${logs}/piped.log`;
    const started = performance.now();
    const result = await runGroup({
      jobs: [
        { name: 'plant', command: plant },
        { name: 'linked', command: 'echo overwritten', needs: ['plant'] },
        { name: 'piped', command: 'echo blocked', needs: ['plant'] },
      ],
      logDir: logs,
      forkServer,
      env: { ...process.env, PAREX_TEST_MARKER: marker },
    });
    assert.ok(performance.now() - started < 10_000, 'the run blocked on the FIFO');
    assertNoneMarked(marker);
    assert.deepEqual(
      result.results.map((job) => [job.name, job.outcome]),
      [
        ['plant', 'success'],
        ['linked', 'spawn_error'],
        ['piped', 'spawn_error'],
      ],
    );
    assert.equal(
      result.results[1]?.errorMessage,
      `log file ${logs}/linked.log is a symbolic link: parex never writes through a link or into a special file`,
    );
    assert.equal(
      result.results[2]?.errorMessage,
      `log file ${logs}/piped.log is a FIFO: parex never writes through a link or into a special file`,
    );
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
  });
}
