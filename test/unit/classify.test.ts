import assert from 'node:assert/strict';
import { test } from 'node:test';

import { classify, signalExitCode } from '../../src/engine/classify.js';
import type { JobResult } from '../../src/model/result.js';
import type { ProcessOutcome } from '../../src/process/run-process.js';
import { describeOutcome } from '../../src/report/outcome-words.js';

const base: ProcessOutcome = {
  pid: 10,
  startedAt: new Date(0),
  endedAt: new Date(1000),
  durationMs: 1000,
  exitCode: 0,
  signal: null,
  stopReason: null,
  signalsSent: [],
  killedAfterMs: null,
  reapedLeftovers: false,
  spawnError: null,
};

function words(process: ProcessOutcome, extra: Partial<JobResult> = {}): string {
  const { outcome, exitCode } = classify(process);
  return describeOutcome({
    name: 'a',
    command: 'x',
    outcome,
    exitCode,
    signal: process.signal,
    pid: process.pid,
    startedAt: process.startedAt,
    endedAt: process.endedAt,
    durationMs: process.durationMs,
    logPath: '/l/a.log',
    stopReason: process.stopReason,
    signalsSent: process.signalsSent,
    timeoutSec: 600,
    idleTimeoutSec: 0,
    killAfterSec: 5,
    reapedLeftovers: false,
    errorMessage: process.spawnError?.message ?? null,
    reason: null,
    attempt: 1,
    details: {},
    ...extra,
  });
}

test('exit 0 is success, any other code a failure with that code', () => {
  assert.deepEqual(classify(base), { outcome: 'success', exitCode: 0 });
  assert.deepEqual(classify({ ...base, exitCode: 3 }), { outcome: 'failed', exitCode: 3 });
  assert.equal(words({ ...base, exitCode: 3 }), 'FAILED (exit 3)');
  assert.equal(words({ ...base, exitCode: 127 }), 'FAILED (exit 127: command not found)');
  assert.equal(words(base), 'SUCCESS');
});

test('a timeout that SIGTERM ended gives 124, one that needed SIGKILL gives 137', () => {
  const timedOut = { ...base, exitCode: null, signal: 'SIGTERM', stopReason: 'timeout' } as const;
  assert.deepEqual(classify({ ...timedOut, signalsSent: ['SIGTERM'] }), {
    outcome: 'timeout',
    exitCode: 124,
  });
  assert.equal(words({ ...timedOut, signalsSent: ['SIGTERM'] }), 'TIMEOUT (exceeded 600s)');
  const killed = { ...timedOut, signal: 'SIGKILL', signalsSent: ['SIGTERM', 'SIGKILL'] } as const;
  assert.deepEqual(classify(killed), { outcome: 'killed', exitCode: 137 });
  assert.equal(words(killed), 'KILLED (SIGKILL after 5s grace; ignored SIGTERM)');
  // A job that traps TERM and exits 0 at its deadline still timed out.
  assert.deepEqual(classify({ ...timedOut, signal: null, exitCode: 0, signalsSent: ['SIGTERM'] }), {
    outcome: 'timeout',
    exitCode: 124,
  });
});

test('a death by a signal parex did not send is a failure with 128+n', () => {
  assert.deepEqual(classify({ ...base, exitCode: null, signal: 'SIGSEGV' }), {
    outcome: 'failed',
    exitCode: 139,
  });
  assert.equal(
    words({ ...base, exitCode: null, signal: 'SIGSEGV' }),
    'FAILED (killed by SIGSEGV, exit 139)',
  );
  assert.equal(signalExitCode('SIGINT'), 130);
  assert.equal(signalExitCode('SIGTERM'), 143);
});

test('a cancelled job keeps the code of the signal that ended it', () => {
  const cancelled = {
    ...base,
    exitCode: null,
    signal: 'SIGTERM',
    stopReason: 'cancel',
    signalsSent: ['SIGTERM'],
  } as const;
  assert.deepEqual(classify(cancelled), { outcome: 'cancelled', exitCode: 143 });
  assert.equal(words(cancelled), 'CANCELLED (stopped with SIGTERM)');
});

test('a process that could not start is a spawn error', () => {
  const error = Object.assign(new Error('spawn nope ENOENT'), { code: 'ENOENT' });
  assert.deepEqual(classify({ ...base, pid: null, exitCode: null, spawnError: error }), {
    outcome: 'spawn_error',
    exitCode: 127,
  });
});
