import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';

import type { GroupEvent, JobResult } from '../../src/model.js';
import { cut, type Palette, renderFrame } from '../../src/report/live-frame.js';
import { applyEvent, EMPTY_LIVE_STATE, type LiveState } from '../../src/report/live-state.js';

const plain = (text: string) => text;
const NO_COLOR: Palette = {
  green: plain,
  red: plain,
  yellow: plain,
  cyan: plain,
  dim: plain,
  bold: plain,
};
const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

function result(
  name: string,
  outcome: JobResult['outcome'],
  extra: Partial<JobResult> = {},
): JobResult {
  return {
    name,
    command: 'x',
    outcome,
    exitCode: outcome === 'success' ? 0 : 3,
    signal: null,
    pid: 10,
    startedAt: new Date(T0),
    endedAt: new Date(T0 + 1500),
    durationMs: 1500,
    logPath: `/logs/${name}.log`,
    stopReason: null,
    signalsSent: [],
    timeoutSec: 600,
    idleTimeoutSec: 0,
    killAfterSec: 5,
    reapedLeftovers: false,
    errorMessage: null,
    reason: null,
    attempt: 1,
    details: {},
    ...extra,
  };
}

/** A test renderer: the frames, as text, after each event. */
function frames(events: readonly [number, GroupEvent][], width = 60): string[][] {
  let state: LiveState = EMPTY_LIVE_STATE;
  const output: string[][] = [];
  for (const [at, event] of events) {
    state = applyEvent(state, event, at);
    output.push(renderFrame(state, at, width, NO_COLOR, (log) => `last line of ${log.slice(6)}`));
  }
  return output;
}

test('the live view shows counts, wall time, each job with its time against its timeout and last output line', () => {
  const start = (name: string, pid: number, at: number): [number, GroupEvent] => [
    at,
    {
      type: 'job-start',
      name,
      pid,
      command: 'x',
      startedAt: new Date(at),
      logPath: `/logs/${name}.log`,
      attempt: 1,
      timeoutSec: 600,
      fields: {},
    },
  ];
  const shown = frames(
    [
      [
        T0,
        {
          type: 'run-start',
          runId: 'r1',
          logDir: '/logs',
          jobs: 3,
          names: ['alpha', 'beta', 'gamma'],
          concurrency: 2,
        },
      ],
      start('alpha', 11, T0 + 5),
      start('beta', 12, T0 + 6),
      [T0 + 1506, { type: 'job-end', result: result('alpha', 'success') }],
      [
        T0 + 2000,
        { type: 'job-signal', name: 'beta', pid: 12, signal: 'SIGTERM', reason: 'timeout' },
      ],
      [T0 + 2500, { type: 'job-end', result: result('beta', 'failed', { exitCode: 3 }) }],
    ],
    70,
  );
  assert.deepEqual(shown[0], [
    'parex r1  0.00s  3 queued · 0 running · 0 done · 0 failed',
    '  · alpha  queued',
    '  · beta   queued',
    '  · gamma  queued',
  ]);
  assert.deepEqual(shown[3], [
    'parex r1  1.51s  1 queued · 1 running · 1 done · 0 failed',
    '  ✔ alpha  1.50s  SUCCESS',
    '  ⠴ beta   1.50s / 600s    last line of beta.log',
    '  · gamma  queued',
  ]);
  assert.match(shown[4]?.[2] ?? '', /beta {3}1\.99s \/ 600s {4}stopping… last line of beta\.log$/);
  assert.deepEqual(shown[5]?.slice(0, 1), [
    'parex r1  2.50s  1 queued · 0 running · 1 done · 1 failed',
  ]);
  assert.equal(shown[5]?.[2], '  ✖ beta   1.50s  FAILED (exit 3)');
});

test('every line is cut to the terminal width, and colour never counts against it', () => {
  const state = applyEvent(
    EMPTY_LIVE_STATE,
    {
      type: 'run-start',
      runId: 'a-very-long-run-identifier',
      logDir: '/l',
      jobs: 1,
      names: ['x'.repeat(40)],
      concurrency: 1,
    },
    T0,
  );
  const colored: Palette = {
    ...NO_COLOR,
    dim: (text) => `\u001b[2m${text}\u001b[22m`,
    bold: (text) => `\u001b[1m${text}\u001b[22m`,
  };
  for (const line of renderFrame(state, T0, 30, colored, () => '')) {
    const visible = stripVTControlCharacters(line);
    assert.ok([...visible].length <= 30, visible);
  }
  assert.equal(cut('abcdef', 4), 'abc…');
  assert.equal(cut('abc', 4), 'abc');
});
