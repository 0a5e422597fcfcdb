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
    slots: 3,
    efficiency: 6000 / 3050 / 3,
    // Without a -j limit nothing but needs delays a start: c alone, after 50 ms of start-up.
    criticalPath: ['c'],
    criticalPathMs: 3000,
    gapMs: 50,
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

test('-j 2 over four 1 s jobs: the path follows the slot each start waited for, efficiency over 2 slots', () => {
  const figures = computeSpeedup(
    [
      { name: 'a', startedAt: at(0), endedAt: at(1000), durationMs: 1000 },
      { name: 'b', startedAt: at(1), endedAt: at(1200), durationMs: 1199 },
      { name: 'c', startedAt: at(1002), endedAt: at(2002), durationMs: 1000 },
      { name: 'd', startedAt: at(1203), endedAt: at(2403), durationMs: 1200 },
    ],
    2,
  );
  // d waited for b's slot, b started first: b → d, 2399 ms of work and 4 ms of gaps = the 2403 ms wall.
  assert.deepEqual(figures.criticalPath, ['b', 'd']);
  assert.equal(figures.criticalPathMs, 2399);
  assert.equal(figures.gapMs, 4);
  assert.equal(figures.wallMs, 2403);
  assert.equal(figures.slots, 2);
  assert.equal(figures.efficiency, 4399 / 2403 / 2);
});

test('40 jobs of 1.75 s at -j 8: the path sets the wall, efficiency 7.00/8 = 88%', () => {
  // Five rounds of eight jobs, each round starting 10 ms after the one before ended.
  const spans = Array.from({ length: 40 }, (_, index) => {
    const round = Math.floor(index / 8);
    const start = round * 1760 + (index % 8);
    return {
      name: `job${index + 1}`,
      startedAt: at(start),
      endedAt: at(start + 1750),
      durationMs: 1750,
    };
  });
  const figures = computeSpeedup(spans, 8);
  assert.equal(figures.criticalPath.length, 5);
  assert.equal(figures.criticalPath.at(-1), 'job40');
  assert.equal(figures.criticalPathMs + figures.gapMs, figures.wallMs);
  assert.equal(figures.criticalPathMs, 5 * 1750);
  assert.equal(
    Math.round(figures.efficiency * 100),
    Math.round((70_000 / figures.wallMs / 8) * 100),
  );
  assert.ok(figures.efficiency > 0.85 && figures.efficiency < 1, String(figures.efficiency));
});

test('retries: every attempt is a span; the path runs through the earlier attempt', () => {
  const figures = computeSpeedup([
    { name: 'a', attempt: 1, startedAt: at(0), endedAt: at(500), durationMs: 500 },
    { name: 'a', attempt: 2, startedAt: at(2500), endedAt: at(3000), durationMs: 500 },
    { name: 'b', attempt: 1, startedAt: at(0), endedAt: at(1000), durationMs: 1000 },
  ]);
  assert.equal(figures.sumMs, 2000);
  assert.equal(figures.wallMs, 3000);
  assert.equal(figures.speedup, 2000 / 3000);
  assert.equal(figures.jobs, 2);
  assert.equal(figures.slots, 2);
  assert.deepEqual(figures.criticalPath, ['a', 'a#2']);
  assert.equal(figures.gapMs, 2000, 'the retry delay is a gap of the path');
});
