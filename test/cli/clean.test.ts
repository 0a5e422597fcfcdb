// parex clean: --keep N and --older-than DAYS remove finished runs' directories and their history
// lines; --dry-run removes nothing; a run locked by a live parex is kept whatever the rules say.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { processStartTime } from '../../src/process/proc-table.js';
import { runCli } from '../helpers/cli.js';
import { parexEnv } from '../helpers/exec.js';
import { tempDir } from '../helpers/tmp.js';

const DAY = 86_400;

/** Makes run directories under .parex/runs, the newest last, each `ageDays` old. */
function makeRuns(dir: string, runs: readonly [string, number][]): void {
  const runsDir = path.join(dir, '.parex', 'runs');
  const history: string[] = [];
  for (const [id, ageDays] of runs) {
    const runDir = path.join(runsDir, id);
    mkdirSync(runDir, { recursive: true });
    writeFileSync(path.join(runDir, 'job1.log'), 'x'.repeat(1000));
    const manifest = path.join(runDir, 'manifest.jsonl');
    writeFileSync(
      manifest,
      `${JSON.stringify({ phase: 'job1', status: 'success', run_id: id, timestamp: '2026-01-01T00:00:00Z', exit_code: 0, duration_sec: 0 })}\n`,
    );
    const when = Date.now() / 1000 - ageDays * DAY;
    utimesSync(manifest, when, when);
    history.push(JSON.stringify({ run_id: id, log_dir: runDir, started_at: '', command: [] }));
  }
  writeFileSync(path.join(runsDir, 'history.jsonl'), `${history.join('\n')}\n`);
}

const left = (dir: string) =>
  readdirSync(path.join(dir, '.parex', 'runs'))
    .filter((name) => name !== 'history.jsonl')
    .sort();

test('--keep, --older-than and --dry-run; history lines of removed runs go too', async (t) => {
  const dir = tempDir(t);
  makeRuns(dir, [
    ['20260101-000000-aaaa', 30],
    ['20260102-000000-bbbb', 20],
    ['20260103-000000-cccc', 2],
    ['20260104-000000-dddd', 1],
  ]);
  const env = parexEnv(null);
  const dry = await runCli(['clean', '--keep', '1', '--dry-run'], { cwd: dir, env });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^would remove \.parex\/runs\/20260103-000000-cccc \(1\.\d KB\)$/m);
  assert.match(dry.stdout, /^would free \d+\.\d KB from 3 runs; 1 kept$/m);
  assert.equal(left(dir).length, 4);

  const historyBefore = readFileSync(path.join(dir, '.parex', 'runs', 'history.jsonl'), 'utf8');
  const old = await runCli(['clean', '--older-than', '10'], { cwd: dir, env });
  assert.equal(old.code, 0, old.stderr);
  assert.deepEqual(left(dir), ['20260103-000000-cccc', '20260104-000000-dddd']);
  assert.match(old.stdout, /^freed \d+\.\d KB from 2 runs; 2 kept$/m);
  // The history is only appended to: the lines that were there stay, byte for byte (a run
  // starting during a clean keeps its line), and lines saying what was forgotten follow.
  const history = readFileSync(path.join(dir, '.parex', 'runs', 'history.jsonl'), 'utf8');
  assert.ok(history.startsWith(historyBefore), 'the history was rewritten');
  const forgotten = history
    .slice(historyBefore.length)
    .trim()
    .split('\n')
    .map((line) =>
      path.basename(String((JSON.parse(line) as { forget_log_dir: string }).forget_log_dir)),
    );
  assert.deepEqual(forgotten.sort(), ['20260101-000000-aaaa', '20260102-000000-bbbb']);
  const runs = await runCli(['runs', '--json'], { cwd: dir, env });
  assert.equal(runs.code, 0, runs.stderr);
  assert.deepEqual(
    runs.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { run_id: string }).run_id)
      .sort(),
    ['20260103-000000-cccc', '20260104-000000-dddd'],
  );

  const keep = await runCli(['clean', '--keep', '1'], { cwd: dir, env });
  assert.equal(keep.code, 0, keep.stderr);
  assert.deepEqual(left(dir), ['20260104-000000-dddd']);
});

test('a locked run is kept; no rule is a usage error', async (t) => {
  const dir = tempDir(t);
  makeRuns(dir, [
    ['20260101-000000-aaaa', 30],
    ['20260102-000000-bbbb', 30],
  ]);
  const locked = path.join(dir, '.parex', 'runs', '20260101-000000-aaaa');
  // This test's own process stands in for the live parex that holds the lock.
  writeFileSync(
    path.join(locked, '.parex.lock'),
    JSON.stringify({
      pid: process.pid,
      start: processStartTime(process.pid),
      run_id: 'x',
      started_at: '',
    }),
  );
  const env = parexEnv(null);
  const run = await runCli(['clean', '--older-than', '0'], { cwd: dir, env });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(existsSync(locked));
  assert.match(
    run.stdout,
    /^kept \.parex\/runs\/20260101-000000-aaaa: locked by a running parex$/m,
  );
  assert.deepEqual(left(dir), ['20260101-000000-aaaa']);

  const none = await runCli(['clean'], { cwd: dir, env });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /parex clean needs --keep N or --older-than DAYS/);
  const bad = await runCli(['clean', '--keep', 'x'], { cwd: dir, env });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--keep/);
});
