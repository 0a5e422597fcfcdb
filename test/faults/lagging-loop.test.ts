// Outcomes decided by what happened, in order, however late parex's event loop is. A job that
// ended before its deadline is judged by its exit even when the deadline timer runs first
// (its group, only a zombie by then, gets no signal); a job that obeyed SIGTERM is a timeout
// (124), not "killed", even when parex looks again only after the grace; durations are those
// the fork server saw. The loop is held up by a busy callback in the library, and by SIGSTOP
// of the parex command.
import assert from 'node:assert/strict';
import { stat } from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { runGroup } from '../../src/index.js';
import { endLines, onlyLineOf, parexEnv, startCli, waitForStderrCount } from '../helpers/exec.js';
import { assertNoneMarked, wholeManifest } from '../helpers/faults.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';
import { waitForText } from '../helpers/wait.js';

/** Keeps this thread busy for `ms`: no timer, exit or reply is handled meanwhile. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Spinning, as a loaded parex would.
  }
}

for (const forkServer of [true, false]) {
  const launcher = forkServer ? 'fork server' : "Node's spawn";
  test(`a job that ended before its deadline, seen only after it, is judged by its exit (${launcher})`, async (t) => {
    const marker = killedAfter(t);
    const result = await runGroup({
      jobs: [
        { name: 'ok', command: 'sleep 0.2' },
        { name: 'bad', command: 'sleep 0.2; exit 3' },
      ],
      timeoutSec: 0.6,
      killAfterSec: 1,
      logDir: tempDir(t),
      forkServer,
      env: { ...process.env, PAREX_TEST_MARKER: marker },
      onEvent: (event) => {
        // Both jobs end at 0.2 s; parex looks again at 1.5 s, when both deadlines are past.
        if (event.type === 'job-start' && event.name === 'bad') busy(1500);
      },
    });
    assertNoneMarked(marker);
    const seen = result.results.map((job) => [
      job.name,
      job.outcome,
      job.exitCode,
      job.signalsSent,
    ]);
    assert.deepEqual(seen, [
      ['ok', 'success', 0, []],
      ['bad', 'failed', 3, []],
    ]);
    if (forkServer) {
      // The server reaped them at about 0.2 s and said so; parex heard at 1.5 s.
      for (const job of result.results)
        assert.ok(job.durationMs < 1200, `${job.name}: ${job.durationMs} ms`);
    }
  });
}

for (const forkServer of [true, false]) {
  const launcher = forkServer ? 'fork server' : "Node's spawn";
  test(`a job that obeyed SIGTERM within the grace is a timeout when parex looks only after the grace (${launcher})`, async (t) => {
    const marker = killedAfter(t);
    const result = await runGroup({
      // Obeys SIGTERM 0.3 s after it comes, well inside the grace.
      jobs: [{ name: 'obeys', command: "trap 'sleep 0.3; exit 143' TERM; sleep 30 & wait" }],
      timeoutSec: 0.3,
      killAfterSec: 1,
      logDir: tempDir(t),
      forkServer,
      env: { ...process.env, PAREX_TEST_MARKER: marker },
      onEvent: (event) => {
        // From 0.1 s into the grace to past its end, the loop is busy in an I/O callback: the
        // job's end and the grace's end both wait, and timers run first when it is over.
        if (event.type === 'job-signal') setTimeout(() => stat('/', () => busy(1500)), 100);
      },
    });
    assertNoneMarked(marker);
    const [job] = result.results;
    assert.equal(job?.outcome, 'timeout', JSON.stringify(job));
    assert.equal(job?.exitCode, 124);
    assert.deepEqual(job?.signalsSent, ['SIGTERM']);
  });
}

test('parex stopped (SIGSTOP) past a deadline: a job that ended meanwhile is a success; SIGCONT finishes the run', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const { child, done } = startCli(
    [
      'exec',
      '--timeout',
      '2',
      '--names',
      'quick,failing',
      '--log-dir',
      'logs',
      '--',
      'sleep 1',
      'sleep 1; exit 4',
    ],
    { cwd: dir, env: parexEnv(marker) },
  );
  await waitForStderrCount(child, '[parex] started ', 2);
  child.kill('SIGSTOP');
  await sleep(3000); // the jobs end at 1 s; their deadlines pass at 2 s
  child.kill('SIGCONT');
  const run = await done;
  assertNoneMarked(marker);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /finished quick \(pid \d+\): SUCCESS in /);
  assert.match(run.stderr, /finished failing \(pid \d+\): FAILED \(exit 4\) in /);
  assert.doesNotMatch(run.stderr, /TIMEOUT|stopping/);
  const ends = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  assert.equal(onlyLineOf(ends, 'quick').exit_code, 0);
  assert.equal(onlyLineOf(ends, 'failing').exit_code, 4);
  // The fork server reaped them at 1 s, while parex was stopped.
  for (const end of ends) assert.ok(Number(end.duration_ms) < 2500, JSON.stringify(end));
});

test('grace words say the time waited: a second SIGINT after 0.3 s, and --kill-after 0', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const { child, done } = startCli(
    [
      'exec',
      '--kill-after',
      '10',
      '--names',
      'deaf',
      '--log-dir',
      'logs',
      '--',
      "trap '' TERM; echo armed; sleep 30",
    ],
    { cwd: dir, env: parexEnv(marker) },
  );
  await waitForStderrCount(child, '[parex] started ', 1);
  // SIGTERM before the trap is set would end the job: wait until the job says it is armed.
  await waitForText(path.join(dir, 'logs', 'deaf.log'), 'armed');
  child.kill('SIGINT');
  await waitForStderrCount(child, 'SIGTERM to its process group', 1);
  await sleep(300);
  child.kill('SIGINT');
  const run = await done;
  assertNoneMarked(marker);
  assert.equal(run.code, 130, run.stderr);
  const deaf = onlyLineOf(
    endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl'))),
    'deaf',
  );
  // At least the 0.3 s the test waited, well short of the 10 s grace; on a loaded machine the
  // second SIGINT may come later than 0.3 s, so the words are checked against the record.
  const waited = Number(deaf.killed_after_ms);
  assert.ok(waited >= 250 && waited < 9000, JSON.stringify(deaf));
  const seconds = `${Number((Math.round(waited / 100) / 10).toPrecision(6))}s`;
  assert.ok(
    run.stderr.includes(
      `CANCELLED (SIGKILL after ${seconds} of the 10s grace, told to kill at once; still running after SIGTERM)`,
    ),
    run.stderr,
  );
  assert.match(run.stderr, /finished deaf \(pid \d+\): CANCELLED \(SIGKILL after /);

  const quick = startCli(
    ['exec', '--timeout', '0.3', '--kill-after', '0', '--log-dir', 'now', '--', 'sleep 30'],
    { cwd: dir, env: parexEnv(marker) },
  );
  const zero = await quick.done;
  assert.equal(zero.code, 1, zero.stderr);
  assert.doesNotMatch(zero.stderr, /ignored SIGTERM/);
  assert.match(
    zero.stderr,
    /finished job1 \(pid \d+\): (KILLED \(SIGKILL right after SIGTERM \(--kill-after 0\)\)|TIMEOUT)/,
  );
});
