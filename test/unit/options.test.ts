import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';

import { UsageError } from '../../src/errors.js';
import { DEFAULTS } from '../../src/options/defaults.js';
import { normalizeGroupOptions } from '../../src/options/normalize.js';
import { parseNumberText } from '../../src/options/numbers.js';
import { makeRunId } from '../../src/options/run-id.js';

describe('normalizeGroupOptions', () => {
  test('applies every default', () => {
    const plan = normalizeGroupOptions({ jobs: ['true', 'false'], cwd: '/work/x', runId: 'r1' });
    assert.equal(plan.concurrency, 2);
    assert.equal(plan.killAfterSec, DEFAULTS.killAfterSec);
    assert.equal(plan.logDir, path.join('/work/x', DEFAULTS.runsDir, 'r1'));
    assert.equal(plan.manifestPath, path.join(plan.logDir, 'manifest.jsonl'));
    assert.deepEqual(
      [0, 1].map((index) => {
        const job = plan.jobs.at(index);
        return [job.name, job.argv, job.timeoutSec, job.logPath];
      }),
      [
        ['job1', ['/bin/sh', '-c', 'true'], 600, path.join(plan.logDir, 'job1.log')],
        ['job2', ['/bin/sh', '-c', 'false'], 600, path.join(plan.logDir, 'job2.log')],
      ],
    );
    assert.deepEqual(plan.jobs.at(0).stopSignals, ['SIGTERM', 'SIGKILL']);
    assert.equal(plan.feature, null);
  });

  test('caps the slots at the number of jobs; 0 means all at once', () => {
    assert.equal(normalizeGroupOptions({ jobs: ['a', 'b', 'c'], concurrency: 2 }).concurrency, 2);
    assert.equal(normalizeGroupOptions({ jobs: ['a', 'b'], concurrency: 9 }).concurrency, 2);
    assert.equal(normalizeGroupOptions({ jobs: ['a', 'b'], concurrency: 0 }).concurrency, 2);
  });

  test('plans the jobs of a source one at a time, and checks each before anything runs', () => {
    const asked: number[] = [];
    const source = {
      length: 3,
      at: (index: number) => {
        asked.push(index);
        return `echo ${index}`;
      },
    };
    const plan = normalizeGroupOptions({ jobs: source, cwd: '/work/x', runId: 'r1' });
    assert.deepEqual(asked, [0, 1, 2]);
    assert.deepEqual(plan.jobs.names.toArray(), ['job1', 'job2', 'job3']);
    assert.deepEqual(plan.jobs.at(2).argv, ['/bin/sh', '-c', 'echo 2']);
    assert.deepEqual(asked, [0, 1, 2, 2]);
    const bad = { length: 2, at: (index: number) => (index === 1 ? 42 : 'true') } as never;
    assert.throws(() => normalizeGroupOptions({ jobs: bad }), /job 2 must be a command string/);
    const blank = { length: 1, at: () => '  ' };
    assert.throws(() => normalizeGroupOptions({ jobs: blank }), /job job1 has an empty command/);
    assert.throws(
      () => normalizeGroupOptions({ jobs: ['a'], keepResults: 'some' as never }),
      /keepResults must be "all" or "unsuccessful"/,
    );
  });

  test('keeps argv jobs without a shell', () => {
    const plan = normalizeGroupOptions({ jobs: [{ name: 'x', argv: ['echo', 'a b'] }] });
    assert.deepEqual(plan.jobs.at(0).argv, ['echo', 'a b']);
    assert.equal(plan.jobs.at(0).command, 'echo a b');
  });

  const invalid: [string, Parameters<typeof normalizeGroupOptions>[0], RegExp][] = [
    ['no jobs', { jobs: [] }, /no jobs to run/],
    ['negative timeout', { jobs: ['true'], timeoutSec: -1 }, /timeout must be a number of seconds/],
    ['NaN grace', { jobs: ['true'], killAfterSec: Number.NaN }, /kill-after grace/],
    ['fractional slots', { jobs: ['true'], concurrency: 1.5 }, /whole number of jobs/],
    ['bad job name', { jobs: [{ name: '../x', command: 'true' }] }, /invalid job name/],
    ['bad feature', { jobs: ['true'], feature: 'a b' }, /invalid feature name/],
    ['bad group', { jobs: ['true'], group: 'LPT1' }, /invalid group name/],
    ['empty command', { jobs: ['  '] }, /empty command/],
    [
      'both command and argv',
      { jobs: [{ name: 'x', command: 'a', argv: ['b'] }] },
      /exactly one of/,
    ],
    ['empty argv', { jobs: [{ name: 'x', argv: [] }] }, /exactly one of/],
    [
      'duplicate names, ignoring case',
      {
        jobs: [
          { name: 'a', command: 'true' },
          { name: 'A', command: 'true' },
        ],
      },
      /used twice/,
    ],
    [
      'stop signals without SIGKILL',
      { jobs: [{ name: 'x', command: 'true', stopSignals: ['SIGTERM'] }] },
      /must end with SIGKILL/,
    ],
  ];
  for (const [what, options, message] of invalid) {
    test(`rejects ${what} with a UsageError`, () => {
      assert.throws(
        () => normalizeGroupOptions(options),
        (error: unknown) => error instanceof UsageError && message.test(error.message),
      );
    });
  }
});

test('parseNumberText accepts plain decimal numbers only', () => {
  assert.equal(parseNumberText('600'), 600);
  assert.equal(parseNumberText(' 1.5 '), 1.5);
  assert.equal(parseNumberText('.5'), 0.5);
  for (const text of ['', 'abc', '1e3', '-1', '0x10', '1.', '5s', 'Infinity']) {
    assert.ok(Number.isNaN(parseNumberText(text)), text);
  }
});

test('run ids sort by time and are valid names', () => {
  const id = makeRunId(new Date(Date.UTC(2026, 10, 25, 13, 28, 57)));
  assert.match(id, /^20261125-132857-[0-9a-f]{4}$/);
  assert.ok(makeRunId(new Date(Date.UTC(2026, 0, 1))) < makeRunId(new Date(Date.UTC(2026, 0, 2))));
});
