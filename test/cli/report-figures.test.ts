// parex report, speedup and status over a hand-written manifest whose figures are computed by
// hand: a -j 2 run with a retry, then a second run in the same directory (as --resume makes).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import { parexEnv } from '../helpers/exec.js';
import { tempDir } from '../helpers/tmp.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const iso = (ms: number) => new Date(T0 + ms).toISOString();

function lines(
  runId: string,
  concurrency: number,
  spans: [string, number, number, number, string][],
) {
  const out: object[] = [];
  for (const [phase, attempt, start, end, outcome] of spans) {
    const common = { schema_version: 1, run_id: runId, feature: null, group: null, phase, attempt };
    out.push({
      ...common,
      status: 'started',
      timestamp: iso(start),
      pid: 100,
      command: 'x',
      started_at: iso(start),
      log: `/l/${phase}.log`,
      concurrency,
    });
    out.push({
      ...common,
      status: outcome === 'success' ? 'success' : 'failed',
      outcome,
      exit_code: outcome === 'success' ? 0 : 1,
      timestamp: iso(end),
      started_at: iso(start),
      ended_at: iso(end),
      duration_ms: end - start,
      duration_sec: Math.round((end - start) / 1000),
      pid: 100,
      log: `/l/${phase}.log`,
    });
  }
  return out;
}

// Run 1, -j 2: a and b start together; a fails (transient) at 1 s and is retried at 3 s (delay
// 2 s) until 4 s; c takes b's slot when b ends at 2 s and runs to 5 s.
// Sum 1 + 1 + 2 + 3 = 7 s, wall 5 s, speedup 1.40x, 2 slots: 70%.
// Critical path: c (ended last) waited for b's slot: b → c, 2 + 3 = 5 s, no gap.
// Run 2 (later, in the same directory): d alone, 1 s.
const MANIFEST = [
  ...lines('run-1', 2, [
    ['a', 1, 0, 1000, 'failed'],
    ['b', 1, 0, 2000, 'success'],
    ['c', 1, 2000, 5000, 'success'],
    ['a', 2, 3000, 4000, 'success'],
  ]),
  ...lines('run-2', 1, [['d', 1, 60_000, 61_000, 'success']]),
];

test('report --json, --run, --all, speedup and status give the hand-computed figures', async (t) => {
  const dir = tempDir(t);
  writeFileSync(
    path.join(dir, 'manifest.jsonl'),
    MANIFEST.map((line) => `${JSON.stringify(line)}\n`).join(''),
  );
  const env = parexEnv(null);
  const json = await runCli(['report', '--log-dir', '.', '--run', 'run-1', '--json'], {
    cwd: dir,
    env,
  });
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout) as Record<string, unknown>;
  assert.equal(report.run_id, 'run-1');
  assert.deepEqual(report.runs, ['run-1', 'run-2']);
  assert.equal(report.sum_ms, 7000);
  assert.equal(report.wall_ms, 5000);
  assert.equal(report.speedup, 1.4);
  assert.equal(report.slots, 2);
  assert.equal(report.efficiency, 0.7);
  assert.deepEqual(report.critical_path, ['b', 'c']);
  assert.equal(report.critical_path_ms, 5000);
  assert.equal(report.gap_ms, 0);
  assert.equal((report.attempts as unknown[]).length, 4);

  // Without --run: the latest run, with the list of runs on top.
  const latest = await runCli(['report', '--log-dir', '.'], { cwd: dir, env });
  assert.equal(latest.code, 0, latest.stderr);
  assert.match(latest.stdout, /^# parex report: run run-2$/m);
  assert.match(latest.stdout, /^## Runs in this directory \(2; this report: run-2/m);
  assert.match(latest.stdout, /^\| wall time \| 1\.00s \|$/m);

  const all = await runCli(['report', '--log-dir', '.', '--all'], { cwd: dir, env });
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /^\| figure \| run-1 \| run-2 \|$/m);
  assert.match(all.stdout, /^\| wall time \| 5\.00s \| 1\.00s \|$/m);
  assert.match(all.stdout, /^\| efficiency \| 70% of 2 slots \| 100% of 1 slot \|$/m);

  const speedup = await runCli(['speedup', '--log-dir', '.', '--run', 'run-1'], { cwd: dir, env });
  assert.equal(speedup.code, 0, speedup.stderr);
  assert.match(speedup.stdout, /^a +2\.00s \(2 attempts\)$/m);
  assert.match(speedup.stdout, /^sum of job times +7\.00s$/m);
  assert.match(speedup.stdout, /^speedup +1\.40x$/m);
  assert.match(speedup.stdout, /^efficiency +70% of 2 slots$/m);
  assert.match(speedup.stdout, /^critical path +b → c \(5\.00s \+ 0\.00s start-up gaps\)$/m);

  const status = await runCli(['status', '--log-dir', '.', '--run', 'run-1'], { cwd: dir, env });
  assert.equal(status.code, 0, status.stderr);
  assert.match(
    status.stdout,
    /^run run-1: wall time 5\.00s, sum of job times 7\.00s, speedup 1\.40x, efficiency 70% of 2 slots$/m,
  );

  const missing = await runCli(['report', '--log-dir', '.', '--run', 'nope'], { cwd: dir, env });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no run "nope"/);
});

test("a real -j 1 run: the summary's path runs through the slot each job waited for", async (t) => {
  const dir = tempDir(t);
  const run = await runCli(
    ['exec', '-j', '1', '--log-dir', 'logs', '--', 'sleep 0.3', 'sleep 0.3', 'sleep 0.3'],
    {
      cwd: dir,
      env: parexEnv(null),
    },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /speedup (0\.9\d|1\.00)x, efficiency (9\d|100)% of 1 slot/);
  assert.match(run.stderr, /^ {2}critical path job1 → job2 → job3 \(/m);
});

test('a real retry: both attempts are spans in the report and the path runs through them', async (t) => {
  const dir = tempDir(t);
  const env = parexEnv(null);
  const flaky =
    'if [ -e tried ]; then sleep 0.3; else touch tried; echo "HTTP 429" >&2; exit 1; fi';
  const run = await runCli(
    ['exec', '--retries', '1', '--retry-delay', '0.2', '--log-dir', 'logs', '--', flaky],
    { cwd: dir, env },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /^ {2}critical path job1 → job1#2 \(/m);
  const json = await runCli(['report', '--log-dir', 'logs', '--json'], { cwd: dir, env });
  const report = JSON.parse(json.stdout) as {
    attempts: { attempt: number; outcome: string }[];
    critical_path: string[];
    sum_ms: number;
    wall_ms: number;
    gap_ms: number;
  };
  assert.deepEqual(
    report.attempts.map((attempt) => [attempt.attempt, attempt.outcome]),
    [
      [1, 'failed'],
      [2, 'success'],
    ],
  );
  assert.deepEqual(report.critical_path, ['job1', 'job1#2']);
  assert.ok(report.gap_ms >= 190, `the retry delay is a gap: ${report.gap_ms}`);
  assert.ok(report.wall_ms >= report.sum_ms + 190, JSON.stringify(report));
});
