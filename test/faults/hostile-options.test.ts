// Hostile library options: every field of the wrong type, an unknown signal or option is a
// UsageError from runGroup, thrown before anything is spawned or written (the log directory is
// never made), never a TypeError, a crash or a run; a delay past the timer limit is chained.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { runGroup } from '../../src/engine/run-group.js';
import { isUsageError } from '../../src/errors.js';
import type { GroupOptions } from '../../src/options/normalize.js';
import { tempDir } from '../helpers/tmp.js';

/** Options in the shape a plain-JavaScript caller could pass. */
type Loose = Record<string, unknown>;

const CASES: readonly [string, Loose, RegExp][] = [
  [
    'needs a string',
    { jobs: [{ name: 'b', command: 'true', needs: 'a' }] },
    /needs must be an array of strings; got "a"/,
  ],
  [
    'env value null',
    { jobs: [{ name: 'a', command: 'true', env: { A: null } }] },
    /env\.A must be a string .*; got null/,
  ],
  [
    'env value a number',
    { jobs: ['true'], env: { PORT: 8080 } },
    /option env\.PORT must be a string .*; got 8080 \(number\)/,
  ],
  [
    'an unknown signal',
    { jobs: [{ name: 'a', command: 'sleep 3', stopSignals: ['SIGFOO', 'SIGKILL'] }] },
    /stopSignals\[0\] must be a signal name of this platform.*got "SIGFOO"/,
  ],
  [
    'a misspelt signal',
    { jobs: [{ name: 'a', command: 'true', stopSignals: ['SIGTREM', 'SIGKILL'] }] },
    /did you mean "SIGTERM"/,
  ],
  [
    'stop signals without SIGKILL',
    { jobs: [{ name: 'a', command: 'true', stopSignals: ['SIGTERM'] }] },
    /must end with SIGKILL/,
  ],
  [
    'a timeout as text',
    { jobs: ['true'], timeoutSec: '5' },
    /option timeoutSec must be a number; got "5"/,
  ],
  [
    'an unknown option',
    { jobs: ['true'], timeout: 5 },
    /unknown option "timeout" \(did you mean "timeoutSec"\?\)/,
  ],
  [
    'an unknown job field',
    { jobs: [{ name: 'a', comand: 'true' }] },
    /unknown job field "comand" \(did you mean "command"\?\)/,
  ],
  ['jobs not an array', { jobs: 'true' }, /option jobs must be an array/],
  [
    'a job that is a number',
    { jobs: [42] },
    /job 1 must be a command string or a job object; got 42/,
  ],
  [
    'argv with a number',
    { jobs: [{ name: 'a', argv: ['echo', 1] }] },
    /argv\[1\] must be a string; got 1/,
  ],
  [
    'onEvent not a function',
    { jobs: ['true'], onEvent: 'log' },
    /option onEvent must be a function/,
  ],
  [
    'signal not an AbortSignal',
    { jobs: ['true'], signal: {} },
    /option signal must be an AbortSignal/,
  ],
  [
    'a job name with a path',
    { jobs: [{ name: '../evil', command: 'true' }] },
    /invalid job name|"\.\."/,
  ],
  [
    'a side file of an unknown kind',
    { jobs: [{ name: 'a', command: 'true', sideFiles: [{ path: 'x.patch', kind: 'read' }] }] },
    /sideFiles\[0\] must be an array of \{ path, kind: "file", "home", "inbound" or "dir", agent\? \}/,
  ],
  ['options not an object', null as unknown as Loose, /options of runGroup must be an object/],
];

for (const [label, options, message] of CASES) {
  test(`runGroup refuses ${label} before anything runs`, async (t) => {
    const dir = tempDir(t);
    const logDir = path.join(dir, 'logs');
    const given = options === null ? null : { cwd: dir, logDir, ...options };
    await assert.rejects(runGroup(given as unknown as GroupOptions), (error: unknown) => {
      assert.ok(isUsageError(error), `not a UsageError: ${String(error)}`);
      assert.match((error as Error).message, message);
      return true;
    });
    assert.equal(existsSync(logDir), false, 'nothing was written');
  });
}

test('waits past the timer limit are chained, never fired at once: a stagger and a backoff', async (t) => {
  const dir = tempDir(t);
  const cancel = new AbortController();
  setTimeout(() => cancel.abort('SIGTERM'), 1500);
  const started = Date.now();
  const result = await runGroup({
    jobs: ['echo 429; exit 1', 'true'],
    staggerMs: 2 ** 31 + 1000,
    retries: 1,
    retryDelaySec: 3_000_000,
    signal: cancel.signal,
    cwd: dir,
    logDir: path.join(dir, 'logs'),
  });
  assert.ok(Date.now() - started >= 1400, 'parex waited until the cancel');
  const [first, second] = result.results;
  assert.equal(first?.attempt, 1, 'the retry is 34+ days away: no second attempt');
  // The second start is 24.8+ days away: it never started before the cancel.
  const secondStart = second?.pid === null || second === undefined ? null : second.startedAt;
  assert.ok(
    secondStart === null || secondStart.getTime() - started >= 1400,
    `job2 started ${secondStart === null ? 'never' : secondStart.getTime() - started} ms in`,
  );
});

test('valid unusual values still run: an env value undefined removes the variable', async (t) => {
  const dir = tempDir(t);
  const result = await runGroup({
    jobs: [{ name: 'a', command: 'test -z "$HOME"' }],
    env: { ...process.env, HOME: undefined },
    cwd: dir,
    logDir: path.join(dir, 'logs'),
    retries: undefined,
  });
  assert.equal(result.ok, true);
});
