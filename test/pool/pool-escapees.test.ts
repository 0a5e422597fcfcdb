// Processes that escape a pooled job's process group (setsid) are stopped by the worker's sweep,
// whose result the worker tells with the job's end or after it, and the coordinator records them
// exactly as a local run does; a worker lost between the end and the sweep's result leaves a
// completion line that says the sweep is unknown.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { runCli } from '../helpers/cli.js';
import { endLines, parexEnv, startCli, text } from '../helpers/exec.js';
import { wholeManifest } from '../helpers/faults.js';
import { filePool, poolExec, startRedis } from '../helpers/pool.js';
import { killedAfter, livingWithMarker } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

const pool = filePool('parex-pool-escapees', { before, after }, {}, async (started) => {
  await started.worker('e1', 4);
});

// An escapee in its own session (the job ends on its own), one after a timeout, a clean job.
// Each job waits until its escapee has left the job's process group (a file it touches after
// setsid): one still in the group at the job's end would be stopped as a group leftover.
const escapee = (seconds: number, file: string) =>
  `rm -f ${file}; setsid sh -c 'touch ${file}; exec sleep ${seconds}' & while [ ! -f ${file} ]; do sleep 0.05; done`;
const COMMANDS = [
  `${escapee(60, 'left1')}; echo escaped`,
  `${escapee(61, 'left2')}; sleep 60`,
  'echo clean',
];
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

// An escapee that ignores SIGTERM (one process, ready before the job ends): the worker's sweep
// takes its whole grace, then SIGKILLs it.
const STUBBORN = `rm -f ready; setsid sh -c "trap '' TERM; touch ready; exec sleep 60" & while [ ! -f ready ]; do sleep 0.05; done; echo stubborn`;

/** Each manifest line as `status phase`, in order. */
function order(lines: readonly Record<string, unknown>[]): string[] {
  return lines.map((line) => `${line.status === 'started' ? 'start' : 'end'} ${line.phase}`);
}

test('a slow sweep follows the end: the worker runs its next job meanwhile, the line waits for it', async (t) => {
  const own = await startRedis();
  t.after(() => own.stop());
  const slow = await pool.worker('e2', 1, { url: own.url, extra: ['--kill-after', '2'] });
  const runs = [];
  for (const flags of [[], ['-j', '1']]) {
    const dir = tempDir(t);
    const marker = killedAfter(t);
    const args = poolExec(own.url, flags, STUBBORN, 'echo next');
    const run = await runCli(args, { cwd: dir, env: parexEnv(marker), limitMs: 60_000 });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(livingWithMarker(marker), [], 'an escapee outlived its job');
    runs.push(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  }
  const [free, one] = runs as [Record<string, unknown>[], Record<string, unknown>[]];
  for (const lines of runs) {
    const first = endLines(lines).find((end) => end.phase === 'job1');
    assert.equal(first?.leftovers_stopped, 1, JSON.stringify(first));
    assert.deepEqual(first?.leftover_signals, ['SIGTERM', 'SIGKILL']);
    assert.equal(first?.reaped_leftovers, true);
  }
  // The worker's one slot took job2 once job1 ended, while job1's sweep waited out its grace
  // (a worker that told the end after the sweep started job2 after job1's line).
  assert.deepEqual(order(free), ['start job1', 'start job2', 'end job1', 'end job2']);
  // With -j 1 the coordinator's slot is held until job1's line, as in a local run.
  assert.deepEqual(order(one), ['start job1', 'end job1', 'start job2', 'end job2']);
  await slow.stop();
});

test('a worker killed between a job’s end and its sweep’s result: the end recorded, the sweep unknown', async (t) => {
  const own = await startRedis();
  t.after(() => own.stop());
  const victim = await pool.worker('e3', 1, { url: own.url, extra: ['--kill-after', '3'] });
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const env = { ...parexEnv(marker), PAREX_POOL_SWEEP_MARGIN_MS: '500' };
  const { done } = startCli(poolExec(own.url, [], STUBBORN), { cwd: dir, env, limitMs: 60_000 });
  // The end is told as the worker prints it; its sweep then waits 3 s on the stubborn escapee.
  while (!victim.output().includes('finished ')) await sleep(25);
  await sleep(300);
  victim.child.kill('SIGKILL');
  const run = await done;
  assert.equal(run.code, 0, run.stderr);
  const [end, ...more] = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  assert.equal(more.length, 0);
  assert.equal(end?.outcome, 'success', JSON.stringify(end));
  assert.equal(end?.exit_code, 0);
  assert.match(text(end ?? {}, 'leftovers_unknown'), /^worker e3 did not tell its escapee sweep/);
  assert.equal(end?.leftovers_stopped, 0);
  assert.match(run.stderr, /job job1: what its worker's escapee sweep stopped is unknown/);
  // The dead worker's fork server stopped the escapee on its machine.
  const deadline = Date.now() + 10_000;
  while (livingWithMarker(marker).length > 0 && Date.now() < deadline) await sleep(50);
  assert.deepEqual(livingWithMarker(marker), []);
});
