import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';

import type { GroupEvent } from '../../src/model/events.js';
import { cut, type Palette, renderFrame } from '../../src/report/live-frame.js';
import { applyEvent } from '../../src/report/live-state.js';
import { emptyLiveState } from '../../src/report/live-types.js';
import { jobStart, NO_COLOR, result, T0 } from '../helpers/live-events.js';

/** A test renderer: the frames, as text, after each event. */
function frames(events: readonly [number, GroupEvent][], width = 60, rows = 100): string[][] {
  const state = emptyLiveState();
  const output: string[][] = [];
  for (const [at, event] of events) {
    applyEvent(state, event, at);
    output.push(
      renderFrame(state, at, { width, rows }, NO_COLOR, (log) => `last line of ${log.slice(6)}`),
    );
  }
  return output;
}

test('the live view shows counts, wall time, each job with its time against its timeout and last output line', () => {
  const start = (name: string, pid: number, at: number): [number, GroupEvent] => [
    at,
    jobStart(name, pid, at),
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
    '  logs: /logs',
    '  · alpha  queued',
    '  · beta   queued',
    '  · gamma  queued',
  ]);
  assert.deepEqual(shown[3], [
    'parex r1  1.51s  1 queued · 1 running · 1 done · 0 failed  ETA 1.50s',
    '  logs: /logs',
    '  ✔ alpha  1.50s  SUCCESS',
    '  ⠴ beta   1.50s / 600s    last line of beta.log',
    '  · gamma  queued',
  ]);
  assert.match(shown[4]?.[3] ?? '', /beta {3}1\.99s \/ 600s {4}stopping… last line of beta\.log$/);
  assert.deepEqual(shown[5]?.slice(0, 1), [
    'parex r1  2.50s  1 queued · 0 running · 1 done · 1 failed  ETA 1.50s',
  ]);
  assert.equal(shown[5]?.[3], '  ✖ beta   1.50s  FAILED (exit 3)  last line of beta.log');
});

test('every line is cut to the terminal width, and colour never counts against it', () => {
  const state = applyEvent(
    emptyLiveState(),
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
  for (const line of renderFrame(state, T0, { width: 30, rows: 10 }, colored, () => '')) {
    const visible = stripVTControlCharacters(line);
    assert.ok([...visible].length <= 30, visible);
  }
  assert.equal(cut('abcdef', 4), 'abc…');
  assert.equal(cut('abc', 4), 'abc');
});
