// Processes that escape a pooled job's process group (setsid) are stopped by the worker's sweep
// before it tells the job's end, and the coordinator records them exactly as a local run does.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { runCli } from '../helpers/cli.js';
import { endLines, parexEnv, text } from '../helpers/exec.js';
import { wholeManifest } from '../helpers/faults.js';
import { filePool, poolExec } from '../helpers/pool.js';
import { killedAfter, livingWithMarker } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

const pool = filePool('parex-pool-escapees', { before, after }, {}, async (started) => {
  await started.worker('e1', 4);
});

// An escapee in its own session (the job ends on its own), one after a timeout, a clean job.
const COMMANDS = ['setsid sleep 60 & echo escaped', 'setsid sleep 61 & sleep 60', 'echo clean'];
const SWEEP_FIELDS = ['outcome', 'reaped_leftovers', 'leftovers_stopped', 'leftover_signals'];

/** The sweep's fields of each job's completion line, and the warnings of the run. */
async function sweepRecord(t: Parameters<typeof tempDir>[0], pooled: boolean) {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const flags = ['--timeout', '2', '--kill-after', '1'];
  const args = pooled
    ? poolExec(pool.redis.url, flags, ...COMMANDS)
    : ['exec', ...flags, '--log-dir', 'logs', '--', ...COMMANDS];
  const run = await runCli(args, { cwd: dir, env: parexEnv(marker), limitMs: 60_000 });
  assert.equal(run.code, 1, run.stderr);
  assert.deepEqual(livingWithMarker(marker), [], 'an escapee outlived its job');
  const ends = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  const byJob = Object.fromEntries(
    ends.map((end) => [
      text(end, 'phase'),
      Object.fromEntries(SWEEP_FIELDS.map((field) => [field, end[field]])),
    ]),
  );
  const warnings = run.stderr
    .split('\n')
    .filter((line) => line.includes('outside its process group'))
    .sort();
  return { byJob, warnings };
}

test('escapees stopped on a worker reach the manifest and the warnings as in a local run', async (t) => {
  const [local, pooled] = await Promise.all([sweepRecord(t, false), sweepRecord(t, true)]);
  assert.deepEqual(local.byJob, {
    job1: {
      outcome: 'success',
      reaped_leftovers: true,
      leftovers_stopped: 1,
      leftover_signals: ['SIGTERM'],
    },
    job2: {
      outcome: 'timeout',
      reaped_leftovers: true,
      leftovers_stopped: 1,
      leftover_signals: ['SIGTERM'],
    },
    job3: {
      outcome: 'success',
      reaped_leftovers: false,
      leftovers_stopped: 0,
      leftover_signals: [],
    },
  });
  assert.deepEqual(pooled.byJob, local.byJob);
  assert.equal(local.warnings.length, 2, local.warnings.join('\n'));
  assert.deepEqual(pooled.warnings, local.warnings);
});
