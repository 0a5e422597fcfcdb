import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { GroupResult } from '../../src/model/result.js';
import { renderFrame } from '../../src/report/live-frame.js';
import { applyEvent } from '../../src/report/live-state.js';
import { emptyLiveState, KEPT_ENDED } from '../../src/report/live-types.js';
import { groupProgressLine } from '../../src/report/progress.js';
import { displayWidth } from '../../src/report/text-width.js';
import { jobStart, NO_COLOR, result, runStart, T0 } from '../helpers/live-events.js';

const names = Array.from({ length: 40 }, (_, index) => `job${index + 1}`);

test('40 jobs at -j 8 in 20 rows: the header, every running job, the failures, one line for the rest', () => {
  const state = emptyLiveState();
  applyEvent(state, runStart(names, 8), T0);
  // job1..job12 have ended (job3 and job7 failed), job13..job20 run, job21..job40 wait.
  for (let index = 1; index <= 12; index += 1) {
    const name = `job${index}`;
    applyEvent(state, jobStart(name, index, T0), T0);
    const outcome = index === 3 || index === 7 ? 'failed' : 'success';
    applyEvent(state, { type: 'job-end', result: result(name, outcome) }, T0 + 1500);
  }
  for (let index = 13; index <= 20; index += 1) {
    applyEvent(state, jobStart(`job${index}`, index, T0 + 1500), T0 + 1500);
  }
  const frame = renderFrame(state, T0 + 2000, { width: 99, rows: 19 }, NO_COLOR, () => 'out');
  assert.equal(frame.length, 19, frame.join('\n'));
  assert.match(
    frame[0] ?? '',
    /^parex r1 {2}2\.00s {2}20 queued · 8 running · 10 done · 2 failed {2}ETA /,
  );
  assert.equal(frame[1], '  logs: /logs');
  const rows = frame.slice(2, -1).map((line) => line.trim().split(/\s+/)[1]);
  assert.deepEqual(rows, [...names.slice(12, 20), 'job3', 'job7', ...names.slice(20, 26)]);
  assert.match(frame.find((line) => line.includes('job7')) ?? '', /FAILED \(exit 3\) {2}out$/);
  assert.equal(frame.at(-1), '  +14 queued, +10 done (0 failed)');
});

test('more running jobs than rows: the header stays, the running jobs that fit, and a count of the rest', () => {
  const state = emptyLiveState();
  applyEvent(state, runStart(names, 0), T0);
  for (const [index, name] of names.entries()) applyEvent(state, jobStart(name, index, T0), T0);
  const frame = renderFrame(state, T0 + 10, { width: 60, rows: 8 }, NO_COLOR, () => '');
  assert.equal(frame.length, 8);
  assert.match(frame[0] ?? '', /0 queued · 40 running/);
  assert.equal(frame.at(-1), '  +35 running, +0 queued, +0 done (0 failed)');
});

test('a job waiting on its needs says which ones it still waits for', () => {
  const state = emptyLiveState();
  applyEvent(state, runStart(['a', 'b', 'c', 'd'], 0, { c: ['a', 'b'] }), T0);
  applyEvent(state, jobStart('a', 1, T0), T0);
  applyEvent(state, jobStart('b', 2, T0), T0);
  const row = (frame: string[]) => frame.find((line) => line.includes(' c '));
  const before = renderFrame(state, T0, { width: 80, rows: 20 }, NO_COLOR, () => '');
  assert.match(row(before) ?? '', /^ {2}· c {5}waiting for a, b$/);
  applyEvent(state, { type: 'job-end', result: result('a', 'success') }, T0 + 1500);
  const after = renderFrame(state, T0 + 1500, { width: 80, rows: 20 }, NO_COLOR, () => '');
  assert.match(row(after) ?? '', /^ {2}· c {5}waiting for b$/);
  assert.match(after.find((line) => line.includes(' d ')) ?? '', /^ {2}· d {5}queued$/);
});

test('wide characters, emoji and combining marks: every line fits the width in columns', () => {
  const state = emptyLiveState();
  applyEvent(state, runStart(['漢字の名前', 'emoji'], 0), T0);
  applyEvent(state, jobStart('漢字の名前', 1, T0), T0);
  applyEvent(state, jobStart('emoji', 2, T0), T0);
  const output = (log: string) =>
    log.includes('emoji')
      ? '🎉👩‍👩‍👧 cafe\u0301 '.repeat(10)
      : '日本語のテキストがとても長く続きます。'.repeat(4);
  for (const width of [40, 41, 57, 80]) {
    const frame = renderFrame(state, T0 + 5, { width, rows: 10 }, NO_COLOR, output);
    for (const line of frame) assert.ok(displayWidth(line) <= width, `${width}: ${line}`);
    assert.ok(
      frame.slice(2).every((line) => line.endsWith('…')),
      frame.join('\n'),
    );
  }
});

test('cancelled jobs are not failed ones, and jobs never started say so', () => {
  const state = emptyLiveState();
  applyEvent(state, runStart(['a', 'b', 'c', 'd'], 2), T0);
  applyEvent(state, jobStart('a', 1, T0), T0);
  applyEvent(state, jobStart('b', 2, T0), T0);
  applyEvent(state, { type: 'job-end', result: result('a', 'failed') }, T0 + 1500);
  applyEvent(state, { type: 'job-end', result: result('b', 'cancelled', { exitCode: 130 }) }, T0);
  const group = { notStarted: ['c', 'd'] } as unknown as GroupResult;
  applyEvent(state, { type: 'run-end', result: group }, T0 + 1600);
  const frame = renderFrame(state, T0 + 1600, { width: 100, rows: 20 }, NO_COLOR, () => '');
  assert.match(
    frame[0] ?? '',
    /0 queued · 0 running · 0 done · 1 failed · 1 cancelled · 2 not started$/,
  );
  assert.match(frame.find((line) => line.includes(' c ')) ?? '', /^ {2}· c {5}not started$/);
  assert.equal(
    groupProgressLine(state, T0 + 1600),
    '[parex] 2/4 done, 0 running, 1 failed, 1 cancelled, 2 not started',
  );
});

test('the progress line counts done jobs against all of them, with an ETA once one has ended', () => {
  const state = emptyLiveState();
  applyEvent(state, runStart(['a', 'b', 'c', 'd'], 2), T0);
  applyEvent(state, jobStart('a', 1, T0), T0);
  applyEvent(state, jobStart('b', 2, T0), T0);
  assert.equal(
    groupProgressLine(state, T0 + 100),
    '[parex] 0/4 done, 2 running, 0 failed, ETA unknown',
  );
  applyEvent(state, { type: 'job-end', result: result('a', 'success') }, T0 + 1500);
  applyEvent(state, jobStart('c', 3, T0 + 1500), T0 + 1500);
  // b has run 1.5 s of its expected 1.5 s; c and then d take 1.5 s each on 2 slots.
  assert.equal(
    groupProgressLine(state, T0 + 1500),
    '[parex] 1/4 done, 2 running, 0 failed, ETA 1.50s',
  );
});

test('room left after the running, failed and queued jobs goes to the latest successes', () => {
  const twelve = names.slice(0, 12);
  const state = emptyLiveState();
  applyEvent(state, runStart(twelve, 2), T0);
  for (let index = 1; index <= 8; index += 1) {
    applyEvent(state, jobStart(`job${index}`, index, T0), T0);
    const outcome = index === 2 ? 'failed' : 'success';
    applyEvent(state, { type: 'job-end', result: result(`job${index}`, outcome) }, T0 + index);
  }
  applyEvent(state, jobStart('job9', 9, T0), T0);
  applyEvent(state, jobStart('job10', 10, T0), T0);
  const frame = renderFrame(state, T0 + 100, { width: 80, rows: 10 }, NO_COLOR, () => '');
  assert.deepEqual(
    frame.slice(2, -1).map((line) => line.trim().split(/\s+/)[1]),
    ['job9', 'job10', 'job2', 'job7', 'job8', 'job11', 'job12'],
  );
  assert.equal(frame.at(-1), '  +0 queued, +5 done (0 failed)');
});

test('a second group in the same session (a regeneration) starts the view afresh', () => {
  const state = emptyLiveState();
  applyEvent(state, runStart(['a', 'b'], 0), T0);
  applyEvent(state, jobStart('a', 1, T0), T0);
  applyEvent(state, { type: 'job-end', result: result('a', 'failed') }, T0 + 1500);
  applyEvent(state, runStart(['a'], 0), T0 + 2000);
  assert.deepEqual(
    renderFrame(state, T0 + 2000, { width: 80, rows: 10 }, NO_COLOR, () => ''),
    [
      'parex r1  0.00s  1 queued · 0 running · 0 done · 0 failed',
      '  logs: /logs',
      '  · a     queued',
    ],
  );
});

test('20,000 jobs: the live state keeps a row only for running and the latest ended jobs, and the counts of all', () => {
  const many = Array.from({ length: 20_000 }, (_, index) => `job${index + 1}`);
  const state = emptyLiveState();
  applyEvent(state, runStart(many, 4), T0);
  for (const [index, name] of many.entries()) {
    applyEvent(state, jobStart(name, index, T0), T0);
    // job5 fails early; every other job succeeds.
    const outcome = name === 'job5' ? 'failed' : 'success';
    if (index < many.length - 4) {
      applyEvent(state, { type: 'job-end', result: result(name, outcome) }, T0 + 1500);
    }
  }
  assert.equal(state.counts.succeeded, 19_995);
  assert.equal(state.counts.failed, 1);
  assert.equal(state.counts.running, 4);
  assert.ok(state.rows.size <= 2 * KEPT_ENDED + 4, `${state.rows.size} rows kept`);
  assert.ok(state.successes.length <= 2 * KEPT_ENDED);
  const frame = renderFrame(state, T0 + 2000, { width: 99, rows: 12 }, NO_COLOR, () => 'out');
  assert.equal(frame.length, 12, frame.join('\n'));
  // The failure that ended 19,990 jobs ago is still among the latest failures.
  assert.ok(
    frame.some((line) => /^ {2}✖ job5 .*FAILED/.test(line)),
    frame.join('\n'),
  );
  for (const name of many.slice(-4)) {
    assert.ok(
      frame.some((line) => line.includes(` ${name} `)),
      `${name} running:\n${frame.join('\n')}`,
    );
  }
  assert.match(
    groupProgressLine(state, T0 + 2000),
    /^\[parex\] 19996\/20000 done, 4 running, 1 failed/,
  );
});
