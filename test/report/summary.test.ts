import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { GroupResult, JobResult } from '../../src/model/result.js';
import { formatFailureTails } from '../../src/report/failure-tails.js';
import { formatSummary } from '../../src/report/summary.js';
import { result } from '../helpers/live-events.js';

function group(results: readonly JobResult[], notStarted: readonly string[] = []): GroupResult {
  return {
    runId: 'r1',
    feature: null,
    group: null,
    logDir: '/nowhere/logs',
    manifestPath: '/nowhere/logs/manifest.jsonl',
    results,
    notStarted,
    speedup: {
      jobs: results.length,
      sumMs: 1,
      wallMs: 1,
      speedup: 1,
      longest: null,
      slots: 1,
      efficiency: 1,
      criticalPath: [],
      criticalPathMs: 1,
      gapMs: 0,
    },
    ok: false,
    cancelledBy: null,
    haltedBy: null,
    error: null,
  };
}

test('an all-successful short summary has a count line and no empty table header', () => {
  const lines = formatSummary(
    group(Array.from({ length: 50 }, (_, i) => result(`j${i}`, 'success'))),
  );
  assert.equal(lines[1], "  50 jobs, all succeeded: 'parex status /nowhere/logs' lists every job");
  assert.ok(!lines.some((line) => line.includes('JOB')), lines.join('\n'));
  assert.ok(!lines.some((line) => line.includes('failed:')), lines.join('\n'));
});

test('the summary shows each command, shortened to one line, beside its name', () => {
  const long = `echo one\n  && ${'x'.repeat(60)}`;
  const lines = formatSummary(group([result('a', 'success', { command: long })]));
  assert.match(lines[1] ?? '', /^ {2}JOB +COMMAND +OUTCOME +TIME +LOG$/);
  assert.match(lines[2] ?? '', /^ {2}a +echo one && x{19}… +SUCCESS /);
});

test('failed, cancelled, skipped and never-started jobs are counted apart', () => {
  const lines = formatSummary(
    group(
      [
        result('ok', 'success'),
        result('bad', 'failed'),
        result('late', 'timeout', { exitCode: 124 }),
        result('stopped', 'cancelled', { exitCode: 130 }),
        result('after', 'skipped', { pid: null, exitCode: null, reason: 'bad did not succeed' }),
      ],
      ['never'],
    ),
  );
  const tail = lines.filter((line) => /^ {2}(failed|cancelled|skipped|not started):/.test(line));
  assert.deepEqual(tail, [
    '  failed: 2 of 6: bad (exit 3), late (exit 124)',
    '  cancelled: 1 of 6: stopped',
    '  skipped: 1 of 6: after',
    '  not started: 1 of 6',
  ]);
  assert.match(lines.find((line) => line.includes('never')) ?? '', /NOT STARTED/);
});

test('the failure tails: each job that did not succeed, at most N of them, skipped ones left out', () => {
  const results = [
    result('ok', 'success'),
    ...Array.from({ length: 4 }, (_, i) => result(`bad${i}`, 'failed', { command: `run ${i}` })),
    result('after', 'skipped', { pid: null }),
  ];
  const lines = formatFailureTails(
    group(results),
    (job) => [`${job.name} said 1`, `${job.name} said 2`, `${job.name} said 3`],
    2,
    3,
  );
  assert.deepEqual(lines, [
    '── bad0 · FAILED (exit 3) · /logs/bad0.log',
    '  $ run 0',
    '  │ bad0 said 2',
    '  │ bad0 said 3',
    '── bad1 · FAILED (exit 3) · /logs/bad1.log',
    '  $ run 1',
    '  │ bad1 said 2',
    '  │ bad1 said 3',
    '── bad2 · FAILED (exit 3) · /logs/bad2.log',
    '  $ run 2',
    '  │ bad2 said 2',
    '  │ bad2 said 3',
    "── ... and 1 more job that did not succeed: 'parex logs NAME' shows a job's log",
  ]);
});

test('the spend line only when agents ran or a budget is set', () => {
  const none = { input_tokens: 0, cached_input_tokens: 0, cache_write_tokens: 0 };
  const spent = { ...none, output_tokens: 0, reasoning_tokens: 0, tokens: 0, cost_usd: 0 };
  const run = { ...spent, cost_source: 'reported' as const };
  const spend = {
    run,
    maxCostUsd: null,
    maxTokens: null,
    reached: null,
    pricesAsOf: '2026-12-01',
    jobs: {},
    byAgent: {},
  };
  // A plain command, and a workflow's command phase (agent "command"): neither spends.
  const commands = [
    result('a', 'success'),
    result('b', 'success', { details: { agent: 'command' } }),
  ];
  const plain = formatSummary({ ...group(commands), spend });
  assert.ok(!plain.some((line) => line.includes('spent')), plain.join('\n'));
  const budget = formatSummary({ ...group(commands), spend: { ...spend, maxCostUsd: 1 } });
  assert.ok(
    budget.some((line) => /spent \$0\.00.*budget \$1\.00: not reached; prices of/.test(line)),
    budget.join('\n'),
  );
  const agent = [result('a', 'success', { details: { agent: 'codex' } })];
  const ran = formatSummary({ ...group(agent), spend });
  assert.ok(
    ran.some((line) => line.includes('no budget set; prices of 2026-12-01')),
    ran.join('\n'),
  );
});
