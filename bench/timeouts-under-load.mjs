#!/usr/bin/env node
// Timeouts under load: JOBS jobs at once, each a shell with two grandchildren (sleep 30), all
// with a 1 s timeout, all obeying SIGTERM. Every one must be TIMEOUT, exit 124, with SIGTERM as
// the only signal sent, in every run; none may be "killed". Prints one JSON object per run.
// Usage: node bench/timeouts-under-load.mjs [--jobs 500] [--runs 3] [--kill-after 1]
// [--fork-server 0]   (after npm run build)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '500' },
    runs: { type: 'string', default: '3' },
    'fork-server': { type: 'string', default: '1' },
    'kill-after': { type: 'string', default: '1' },
  },
});
const cli = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'dist',
  'bin',
  'parex.cjs',
);
const jobs = Array.from({ length: Number(values.jobs) }, () => 'sleep 30 & sleep 30 & wait');
let bad = 0;
for (let run = 1; run <= Number(values.runs); run += 1) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parex-load-'));
  const started = performance.now();
  const done = spawnSync(
    process.execPath,
    [
      cli,
      'exec',
      '-q',
      '--timeout',
      '1',
      '--kill-after',
      values['kill-after'],
      '--log-dir',
      dir,
      '--',
      ...jobs,
    ],
    { env: { ...process.env, PAREX_FORK_SERVER: values['fork-server'] }, encoding: 'utf8' },
  );
  const seconds = (performance.now() - started) / 1000;
  const ends = readFileSync(path.join(dir, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.includes('"status":"failed"') || line.includes('"status":"success"'))
    .map((line) => JSON.parse(line));
  const outcomes = {};
  for (const end of ends) outcomes[end.outcome] = (outcomes[end.outcome] ?? 0) + 1;
  const right = ends.filter(
    (end) =>
      end.outcome === 'timeout' && end.exit_code === 124 && end.signals_sent.join() === 'SIGTERM',
  ).length;
  const durations = ends.map((end) => end.duration_ms).sort((a, b) => a - b);
  if (right !== jobs.length) bad += 1;
  process.stdout.write(
    `${JSON.stringify({
      run,
      jobs: jobs.length,
      exit: done.status,
      timeout_124: right,
      outcomes,
      duration_ms_median: durations[Math.floor(durations.length / 2)],
      duration_ms_max: durations.at(-1),
      wall_s: Number(seconds.toFixed(2)),
    })}\n`,
  );
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = bad === 0 ? 0 : 1;
