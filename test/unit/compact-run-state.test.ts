// The compact forms a run of 100,000 jobs keeps: names made from positions, spans in typed arrays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { NameList } from '../../src/names/name-list.js';
import { SpanStore, spanTable } from '../../src/report/span-table.js';
import { computeSpeedup } from '../../src/report/speedup.js';

test('default names are made from their position and found by name, without storing any', () => {
  const names = new NameList();
  for (let at = 0; at < 100_000; at += 1) assert.equal(names.add(`job${at + 1}`), at);
  assert.equal(names.allDefault, true);
  assert.equal(names.length, 100_000);
  assert.equal(names.at(41_999), 'job42000');
  assert.equal(names.indexOf('job100000'), 99_999);
  assert.equal(names.indexOf('job100001'), undefined);
  assert.equal(names.indexOf('job0'), undefined);
  assert.equal(names.indexOf('job007'), undefined);
  assert.equal(names.indexOf('Job1'), undefined);
  assert.equal(names.add('job5'), 4, 'a name given again keeps its first position');
  assert.equal(names.length, 100_000);
});

test('the first name that is not the default one stores every name and keeps their positions', () => {
  const names = new NameList();
  names.add('job1');
  names.add('job2');
  assert.equal(names.add('lint'), 2);
  assert.equal(names.add('job4'), 3);
  assert.equal(names.allDefault, false);
  assert.deepEqual(names.toArray(), ['job1', 'job2', 'lint', 'job4']);
  assert.equal(names.indexOf('lint'), 2);
  assert.equal(names.indexOf('job2'), 1);
  assert.equal(names.indexOf('job3'), undefined);
  const skipped = new NameList();
  skipped.add('job2');
  assert.deepEqual(skipped.toArray(), ['job2'], 'job2 first is not a default list');
  assert.equal(skipped.indexOf('job1'), undefined);
});

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

test('the span store gives the figures the spans themselves give, past its first room', () => {
  const spans = Array.from({ length: 50 }, (_, index) => ({
    name: `job${(index % 20) + 1}`,
    startedAt: at(index * 1000),
    endedAt: at(index * 1000 + 1500 + index),
    durationMs: 1500 + index,
    attempt: Math.floor(index / 20) + 1,
  }));
  const store = new SpanStore(
    (job) => `job${job + 1}`,
    () => [],
    16,
  );
  for (const [index, span] of spans.entries()) store.add(index % 20, span);
  assert.equal(store.length, 50);
  assert.equal(store.jobCount(), 20);
  assert.equal(store.endMs(49), at(49_000 + 1549).getTime());
  assert.equal(store.attempt(45), 3);
  assert.deepEqual(computeSpeedup(store, 4, null), computeSpeedup(spanTable(spans), 4, null));
});

test('a span of ten hours keeps its duration and end within 2 ms', () => {
  const store = new SpanStore(
    () => 'long',
    () => [],
  );
  const hours = 10 * 3600 * 1000 + 123;
  store.add(0, { startedAt: at(5), endedAt: at(5 + hours), durationMs: hours, attempt: 1 });
  assert.ok(Math.abs(store.durationMs(0) - hours) <= 2);
  assert.ok(Math.abs(store.endMs(0) - at(5 + hours).getTime()) <= 2);
  assert.equal(store.startMs(0), at(5).getTime());
});
