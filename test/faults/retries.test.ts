// --retries: only transient failures are tried again, each attempt with its own log and its own
// manifest lines, after a backoff that doubles; exit 2 and ordinary failures never are.
// --stagger: starts spaced out.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import { endLines, type Line, parexEnv, runIdOf, startLines, text } from '../helpers/exec.js';
import {
  assertNoneMarked,
  statusJson,
  waitUntilWatchdogGone,
  wholeManifest,
} from '../helpers/faults.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

/** Fails with "429 Too Many Requests" until its `count`-th run. */
function flakyUntil(count: number, file: string): string {
  return `n=$(cat ${file} 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${file}; if [ $n -lt ${count} ]; then echo "HTTP 429 Too Many Requests"; exit 1; fi; echo ok`;
}

const of = (lines: readonly Line[], phase: string) => lines.filter((line) => line.phase === phase);
const ms = (line: Line, key: string) => Date.parse(text(line, key));

test('--retries 3: a 429 is retried with doubling backoff; exit 2 and plain failures are not', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const run = await runCli(
    [
      'exec',
      '--names',
      'flaky,usage,plain,hopeless',
      '--retries',
      '3',
      '--retry-delay',
      '0.2',
      '--log-dir',
      'logs',
      '--',
      flakyUntil(3, 'flaky.count'),
      'echo "rate limit exceeded, try again"; exit 2',
      'echo "syntax error near line 3"; exit 1',
      'echo "server overloaded"; exit 1',
    ],
    { cwd: dir, env: parexEnv(marker) },
  );

  assert.equal(run.code, 1, run.stderr);
  assertNoneMarked(marker);
  await waitUntilWatchdogGone(runIdOf(run.stderr));
  const lines = wholeManifest(path.join(dir, 'logs', 'manifest.jsonl'));

  // flaky: three attempts, each with its start and end line and its own log.
  const flaky = of(lines, 'flaky');
  assert.deepEqual(
    startLines(flaky).map((line) => line.attempt),
    [1, 2, 3],
  );
  const flakyEnds = endLines(flaky);
  assert.deepEqual(
    flakyEnds.map((line) => [line.attempt, line.outcome]),
    [
      [1, 'failed'],
      [2, 'failed'],
      [3, 'success'],
    ],
  );
  assert.deepEqual(
    flakyEnds.map((line) => line.transient),
    ['429', '429', undefined],
  );
  assert.deepEqual(
    flakyEnds.map((line) => line.retry_in_ms),
    [200, 400, undefined],
  );
  const logs = ['flaky.log', 'flaky.attempt2.log', 'flaky.attempt3.log'];
  assert.deepEqual(
    startLines(flaky).map((line) => path.basename(text(line, 'log'))),
    logs,
  );
  const contents = logs.map((name) => readFileSync(path.join(dir, 'logs', name), 'utf8'));
  assert.deepEqual(contents, [
    'HTTP 429 Too Many Requests\n',
    'HTTP 429 Too Many Requests\n',
    'ok\n',
  ]);
  // Backoff: the recorded waits double (above), and each retry started no sooner than its
  // recorded wait after the failure (a loaded machine may start it later, never earlier).
  const gaps = [0, 1].map(
    (i) =>
      ms(startLines(flaky)[i + 1] as Line, 'started_at') - ms(flakyEnds[i] as Line, 'ended_at'),
  );
  t.diagnostic(`gaps between attempts: ${gaps.join(', ')} ms`);
  assert.ok((gaps[0] ?? 0) >= 190, `first wait ${gaps[0]} ms`);
  assert.ok((gaps[1] ?? 0) >= 390, `second wait ${gaps[1]} ms`);
  assert.match(
    run.stderr,
    /\[parex\] flaky failed with "429", which looks transient: attempt 2 of 4 in 0\.2s/,
  );
  assert.match(run.stderr, /attempt 3 of 4 in 0\.4s/);

  // usage (exit 2, even with rate-limit words) and plain: one attempt each.
  for (const name of ['usage', 'plain']) {
    assert.equal(startLines(of(lines, name)).length, 1, name);
    const [end] = endLines(of(lines, name));
    assert.equal(end?.outcome, 'failed', name);
    assert.equal(end?.transient, undefined, name);
    assert.equal(existsSync(path.join(dir, 'logs', `${name}.attempt2.log`)), false, name);
  }
  assert.equal(endLines(of(lines, 'usage'))[0]?.exit_code, 2);
  assert.doesNotMatch(run.stderr, /(usage|plain) failed with/);

  // hopeless: overloaded every time; the first attempt and 3 retries, then it stays failed.
  const hopeless = of(lines, 'hopeless');
  assert.deepEqual(
    startLines(hopeless).map((line) => line.attempt),
    [1, 2, 3, 4],
  );
  assert.deepEqual(
    endLines(hopeless).map((line) => line.retry_in_ms),
    [200, 400, 800, undefined],
  );

  const status = Object.fromEntries((await statusJson(dir, 'logs')).map((job) => [job.name, job]));
  assert.equal(status.flaky?.state, 'success');
  assert.equal(status.flaky?.attempts, 3);
  assert.equal(status.hopeless?.state, 'failed');
  assert.equal(status.hopeless?.attempts, 4);
  assert.equal(status.usage?.attempts, 1);
});

test('--stagger 300: three jobs start at least ~250 ms apart', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const run = await runCli(
    ['exec', '--stagger', '300', '--log-dir', 'logs', '--', 'sleep 0.1', 'sleep 0.1', 'sleep 0.1'],
    { cwd: dir, env: parexEnv(marker) },
  );
  assert.equal(run.code, 0, run.stderr);
  assertNoneMarked(marker);
  const starts = startLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')))
    .map((line) => ms(line, 'started_at'))
    .sort((a, b) => a - b);
  assert.equal(starts.length, 3);
  const gaps = [0, 1].map((i) => (starts[i + 1] ?? 0) - (starts[i] ?? 0));
  t.diagnostic(`gaps between starts: ${gaps.join(', ')} ms`);
  for (const gap of gaps) assert.ok(gap >= 250, `starts only ${gap} ms apart`);
});
