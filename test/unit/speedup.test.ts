import assert from 'node:assert/strict';
import { test } from 'node:test';

import { computeSpeedup } from '../../src/report/speedup.js';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

test('speedup is the sum of job durations over the wall time from first start to last end', () => {
  const figures = computeSpeedup([
    { name: 'a', startedAt: at(0), endedAt: at(2000), durationMs: 2000 },
    { name: 'b', startedAt: at(100), endedAt: at(1100), durationMs: 1000 },
    { name: 'c', startedAt: at(50), endedAt: at(3050), durationMs: 3000 },
  ]);
  assert.deepEqual(figures, {
    jobs: 3,
    sumMs: 6000,
    wallMs: 3050,
    speedup: 6000 / 3050,
    longest: 'c',
  });
});

test('jobs one after another have a speedup of 1', () => {
  const figures = computeSpeedup([
    { name: 'a', startedAt: at(0), endedAt: at(1000), durationMs: 1000 },
    { name: 'b', startedAt: at(1000), endedAt: at(3000), durationMs: 2000 },
  ]);
  assert.equal(figures.speedup, 1);
});

test('no jobs, or no wall time, give a speedup of 0 rather than a division by zero', () => {
  assert.equal(computeSpeedup([]).speedup, 0);
  assert.equal(
    computeSpeedup([{ name: 'a', startedAt: at(0), endedAt: at(0), durationMs: 0 }]).speedup,
    0,
  );
});
