// The fork server (src/process/fork-server/): jobs that read no input are forked by one small perl
// process. Real jobs, real /proc: who their parent is, their process group, stdin, environment,
// exact endings, failures to start, start lines in job order, the server dying mid-run, and the
// server as the run's watchdog (see also test/faults/sigkill.test.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { runGroup } from '../../src/index.js';
import { ForkServer } from '../../src/process/fork-server/server.js';
import { waitUntilWatchdogGone, watchdogsOf } from '../helpers/faults.js';
import { manifestLines } from '../helpers/manifest.js';
import { killedAfter, livingWithMarker } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';
import { waitForText } from '../helpers/wait.js';

/** The command name and the parent pid of a living process, from /proc. */
function procInfo(pid: number): { comm: string; ppid: number; pgid: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    comm: readFileSync(`/proc/${pid}/comm`, 'utf8').trim(),
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
  };
}

const REPORT_SELF =
  'echo "pid=$$ ppid=$PPID"; readlink /proc/self/fd/0; echo "v=[$PAREX_FS_VALUE]"; sleep 30';

async function parentOf(
  t: test.TestContext,
  options: { forkServer?: boolean; input?: string },
): Promise<{ parent: string; leadsGroup: boolean; stdin: string; env: string }> {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const cancel = new AbortController();
  const pending = runGroup({
    jobs: [
      {
        name: 'probe',
        command: REPORT_SELF,
        ...(options.input === undefined ? {} : { input: options.input }),
      },
    ],
    logDir: dir,
    env: { ...process.env, PAREX_TEST_MARKER: marker, PAREX_FS_VALUE: 'a=b\nc d' },
    signal: cancel.signal,
    killAfterSec: 1,
    ...(options.forkServer === undefined ? {} : { forkServer: options.forkServer }),
  });
  const log = path.join(dir, 'probe.log');
  await waitForText(log, 'c d]');
  const pid = Number(/pid=(\d+)/.exec(readFileSync(log, 'utf8'))?.[1]);
  const info = procInfo(pid);
  const parent = procInfo(info.ppid).comm;
  cancel.abort('SIGTERM');
  const result = await pending;
  assert.equal(result.results[0]?.outcome, 'cancelled');
  assert.deepEqual(livingWithMarker(marker), []);
  const lines = readFileSync(log, 'utf8').split('\n');
  return {
    parent,
    leadsGroup: info.pgid === pid,
    stdin: lines[1] ?? '',
    env: `${lines[2]}\n${lines[3]}`,
  };
}

test('a job with no input is forked by the perl fork server, leads its group, reads /dev/null', async (t) => {
  const seen = await parentOf(t, {});
  assert.equal(seen.parent, 'perl');
  assert.equal(seen.leadsGroup, true);
  assert.equal(seen.stdin, '/dev/null');
  assert.equal(seen.env, 'v=[a=b\nc d]', 'a value with "=" and a newline arrives whole');
});

test('forkServer: false, and a job with input, are spawned by parex itself', async (t) => {
  const off = await parentOf(t, { forkServer: false });
  assert.equal(off.parent, 'node');
  assert.equal(off.leadsGroup, true);
  assert.equal(off.stdin, '/dev/null');
  const withInput = await parentOf(t, { input: 'prompt' });
  assert.equal(withInput.parent, 'node');
  assert.match(withInput.stdin, /^(pipe|socket):/, 'a pipe (Node makes it a socket pair)');
});

test('through the fork server: exact exit codes and signals, argv and UTF-8 intact, starts in job order', async (t) => {
  const dir = tempDir(t);
  const result = await runGroup({
    jobs: [
      'exit 3',
      'kill -USR1 $$',
      { name: 'argv', argv: ['/bin/sh', '-c', 'printf "%s|" "$@"', 'sh', '\nline', 'é ü', ''] },
      ...Array.from({ length: 17 }, (_, index) => `exit ${index === 5 ? 0 : index}`),
    ],
    logDir: dir,
  });
  const byName = new Map(result.results.map((job) => [job.name, job]));
  assert.deepEqual([byName.get('job1')?.exitCode, byName.get('job1')?.signal], [3, null]);
  assert.deepEqual([byName.get('job2')?.exitCode, byName.get('job2')?.signal], [138, 'SIGUSR1']);
  assert.equal(readFileSync(path.join(dir, 'argv.log'), 'utf8'), '\nline|é ü||');
  assert.equal(byName.get('job9')?.exitCode, 0);
  assert.equal(byName.get('job10')?.exitCode, 6);
  const starts = manifestLines(result.manifestPath).filter((line) => line.status === 'started');
  assert.deepEqual(
    starts.map((line) => line.phase),
    result.results.map((job) => job.name),
  );
});

test('through the fork server: a missing program or directory, or a log that cannot be opened, is a spawn error', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'blocked.log')); // a directory where the log file should be
  const result = await runGroup({
    jobs: [
      { name: 'noprog', argv: ['/nonexistent/program'] },
      { name: 'nodir', command: 'true', cwd: path.join(dir, 'missing') },
      { name: 'blocked', command: 'true' },
      'true',
    ],
    logDir: dir,
  });
  const [noprog, nodir, blocked, fine] = result.results;
  assert.deepEqual([noprog?.outcome, noprog?.exitCode], ['spawn_error', 127]);
  assert.match(noprog?.errorMessage ?? '', /\/nonexistent\/program: not found/);
  assert.deepEqual([nodir?.outcome, nodir?.exitCode], ['spawn_error', 127]);
  assert.match(nodir?.errorMessage ?? '', /^working directory .*missing: not found$/);
  assert.equal(blocked?.outcome, 'spawn_error');
  assert.match(blocked?.errorMessage ?? '', /^log file .*blocked\.log: EISDIR$/);
  assert.equal(fine?.outcome, 'success');
  const starts = manifestLines(result.manifestPath).filter((line) => line.status === 'started');
  assert.deepEqual(
    starts.map((line) => line.phase),
    ['job4'],
    'no start line for jobs that never ran',
  );
});

test('a fork server that dies mid-run: the running job fails, its group is stopped, later jobs cannot start', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const pending = runGroup({
    jobs: ['echo "pid=$$"; sleep 30', 'true'],
    concurrency: 1,
    logDir: dir,
    killAfterSec: 1,
    env: { ...process.env, PAREX_TEST_MARKER: marker },
  });
  const log = path.join(dir, 'job1.log');
  await waitForText(log, 'pid=');
  const jobPid = Number(/pid=(\d+)/.exec(readFileSync(log, 'utf8'))?.[1]);
  const server = procInfo(jobPid).ppid;
  assert.equal(procInfo(server).comm, 'perl');
  process.kill(server, 'SIGKILL');
  const result = await pending;
  const [first, second] = result.results;
  assert.equal(first?.outcome, 'failed');
  assert.equal(first?.reapedLeftovers, true, 'the orphaned sleep was stopped');
  assert.equal(second?.outcome, 'spawn_error');
  assert.match(
    second?.errorMessage ?? '',
    /fork server is gone: .*PAREX_FORK_SERVER=0 starts jobs without it/,
  );
  assert.deepEqual(livingWithMarker(marker), []);
});

test('ForkServer.start returns null when there is no perl on PATH', () => {
  assert.equal(ForkServer.start('20261125-000000-0000', '/nonexistent-dir'), null);
});

test('a fork server told that the run is over exits and stops nothing, not even a process carrying the run id', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const runId = `20261125-000000-${process.pid.toString(16).slice(-4)}`;
  const bystander = spawn('sleep', ['30'], {
    env: { ...process.env, PAREX_RUN_ID: runId, PAREX_TEST_MARKER: marker },
    stdio: 'ignore',
  });
  const server = ForkServer.start(runId);
  assert.ok(server !== null);
  assert.equal(watchdogsOf(runId).length, 1, 'the server is the watchdog of the run');
  const job = server.launch({
    argv: ['/bin/sh', '-c', 'exit 0'],
    cwd: dir,
    env: { PATH: '/usr/bin:/bin' },
    logPath: path.join(dir, 'job.log'),
  });
  assert.deepEqual(await once(job, 'exit'), [0, null]);
  server.close();
  await waitUntilWatchdogGone(runId);
  await sleep(300);
  assert.equal(bystander.exitCode, null, 'the process carrying the run id still runs');
  assert.equal(bystander.signalCode, null);
});
