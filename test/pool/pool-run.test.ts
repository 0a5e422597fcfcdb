// A pooled run end to end: a real redis-server, three `parex worker`s each with its own
// --workdir, and coordinators (parex exec|run --redis) in a directory of their own.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { runCli } from '../helpers/cli.js';
import { endLines, parexEnv, startLines, text } from '../helpers/exec.js';
import { wholeManifest, writeWorkflow } from '../helpers/faults.js';
import { agentWorkersPool, poolExec } from '../helpers/pool.js';
import { killedAfter, livingWithMarker } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

const { pool, workers: poolWorkers } = agentWorkersPool('parex-pool', { before, after });

test('30 jobs across 3 workers: all run, the manifest is complete, each line names its worker', async (t) => {
  const dir = tempDir(t);
  const commands = Array.from(
    { length: 30 },
    (_, i) => `sleep 0.3; echo "job ${i + 1} on $PAREX_WORKER_PROBE"; pwd`,
  );
  const run = await runCli(
    ['exec', '--redis', pool.redis.url, '--log-dir', 'logs', '--', ...commands],
    {
      cwd: dir,
      env: parexEnv(null),
    },
  );
  assert.equal(run.code, 0, run.stderr);
  const lines = wholeManifest(path.join(dir, 'logs', 'manifest.jsonl'));
  assert.equal(startLines(lines).length, 30);
  const ends = endLines(lines);
  assert.equal(ends.length, 30);
  const used = new Set<string>();
  for (const end of ends) {
    assert.equal(end.outcome, 'success');
    const worker = end.worker as { name: string; host: string };
    assert.ok(['w1', 'w2', 'w3'].includes(worker.name), JSON.stringify(end));
    assert.equal(typeof worker.host, 'string');
    assert.equal(typeof end.queue_ms, 'number');
    used.add(worker.name);
    // The log came back whole, and the job ran in its worker's --workdir.
    const n = text(end, 'phase').slice(3);
    assert.equal(
      readFileSync(text(end, 'log'), 'utf8'),
      `job ${n} on \n${path.join(pool.root, worker.name)}\n`,
    );
  }
  assert.deepEqual([...used].sort(), ['w1', 'w2', 'w3'], 'every worker ran jobs');
  // `status` tells where each job ran (a WORKER column, and worker and queue_ms in --json).
  const status = await runCli(['status', 'logs'], { cwd: dir });
  assert.equal(status.code, 0, status.stderr);
  const table = status.stdout.split('\n');
  assert.match(table[1] ?? '', /^JOB +STATE .* WORKER +LOG$/);
  const json = await runCli(['status', 'logs', '--json'], { cwd: dir });
  const listed = json.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { name: string; worker: string; queue_ms: number });
  assert.equal(listed.length, 30);
  for (const end of ends) {
    const worker = end.worker as { name: string; host: string };
    const shown = `${worker.name} on ${worker.host}`;
    const row = table.find((line) => line.startsWith(`${text(end, 'phase')} `));
    assert.ok(row?.includes(` ${shown} `), `${shown} not in: ${row}`);
    const entry = listed.find((job) => job.name === text(end, 'phase'));
    assert.equal(entry?.worker, shown);
    assert.equal(entry?.queue_ms, end.queue_ms);
  }
  // The coordinator is the only writer: no worker wrote a manifest.
  for (const worker of poolWorkers())
    assert.equal(existsSync(path.join(worker.workdir, 'logs')), false);
});

test('a timeout on a worker: the whole tree is stopped there, timeout/124 on the coordinator', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const run = await runCli(
    poolExec(
      pool.redis.url,
      ['--timeout', '1', '--kill-after', '1'],
      'sleep 60 & sleep 61 & echo started; wait',
    ),
    { cwd: dir, env: parexEnv(marker), limitMs: 30_000 },
  );
  assert.equal(run.code, 1, run.stderr);
  const [end] = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  assert.equal(end?.outcome, 'timeout');
  assert.equal(end?.exit_code, 124);
  assert.deepEqual(end?.signals_sent, ['SIGTERM']);
  // The summary says which worker ran it.
  const worker = end?.worker as { name: string; host: string };
  const header = run.stderr.split('\n').find((line) => line.includes(' OUTCOME '));
  assert.match(header ?? '', /^ +JOB +COMMAND +OUTCOME +TIME +WORKER +LOG$/, run.stderr);
  assert.match(run.stderr, new RegExp(`job1 .* TIMEOUT .* ${worker.name} on ${worker.host} `));
  assert.equal(readFileSync(path.join(dir, 'logs', 'job1.log'), 'utf8'), 'started\n');
  assert.deepEqual(livingWithMarker(marker), [], 'the job left processes on its worker');
});

test('idle detection runs on the worker: a silent job is stopped as stalled', async (t) => {
  const dir = tempDir(t);
  const run = await runCli(
    [
      'exec',
      '--redis',
      pool.redis.url,
      '--idle-timeout',
      '1',
      '--kill-after',
      '1',
      '--log-dir',
      'logs',
      '--',
      'echo hello; sleep 30',
    ],
    { cwd: dir, env: parexEnv(null), limitMs: 30_000 },
  );
  assert.equal(run.code, 1, run.stderr);
  const [end] = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  assert.equal(end?.outcome, 'stalled');
  assert.equal(end?.stop_reason, 'stall');
  assert.equal(end?.exit_code, 124);
  assert.equal(readFileSync(path.join(dir, 'logs', 'job1.log'), 'utf8'), 'hello\n');
});

test('a large log streams back byte-exact, with flat memory on both sides', async (t) => {
  const dir = tempDir(t);
  const megabytes = 200;
  // Lines of different lengths, so that chunk borders fall everywhere.
  const job = `i=0; while [ $i -lt ${megabytes} ]; do head -c 1048576 /dev/zero | tr '\\0' "$(printf '%x' $((i % 16)))"; i=$((i+1)); done`;
  const peaks = { coordinator: 0, worker: 0 };
  const poll = setInterval(() => {
    for (const worker of poolWorkers())
      peaks.worker = Math.max(peaks.worker, rss(worker.child.pid));
  }, 50);
  let coordinatorPid = 0;
  const pollCoordinator = setInterval(() => {
    peaks.coordinator = Math.max(peaks.coordinator, rss(coordinatorPid));
  }, 50);
  const run = await runCli(['exec', '--redis', pool.redis.url, '--log-dir', 'logs', '--', job], {
    cwd: dir,
    env: parexEnv(null),
    limitMs: 120_000,
    onSpawn: (child) => {
      coordinatorPid = child.pid ?? 0;
    },
  });
  clearInterval(poll);
  clearInterval(pollCoordinator);
  assert.equal(run.code, 0, run.stderr);
  const log = readFileSync(path.join(dir, 'logs', 'job1.log'));
  assert.equal(log.length, megabytes * 1048576);
  for (let i = 0; i < megabytes; i += 1) {
    const digit = (i % 16).toString(16).charCodeAt(0);
    assert.equal(log[i * 1048576], digit);
    assert.equal(log[i * 1048576 + 1048575], digit);
  }
  assert.equal(log.indexOf(0), -1);
  t.diagnostic(
    `peak RSS: coordinator ${peaks.coordinator >> 20} MiB, workers ${peaks.worker >> 20} MiB`,
  );
  // Both plateau near 80 MiB (a trivial job) to 150 MiB (freed reply buffers the allocator keeps)
  // whatever the size; a side that held the log would pass 280 MiB.
  assert.ok(peaks.coordinator < 180 * 1048576, `coordinator peak ${peaks.coordinator >> 20} MiB`);
  assert.ok(peaks.worker < 180 * 1048576, `worker peak ${peaks.worker >> 20} MiB`);
});

test('declared inputs go to the worker and outputs come back; over 32 MiB is a clear failure', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'in.txt'), 'hello pool\n');
  writeWorkflow(dir, [
    'name: files',
    'defaults: { agent: command }',
    'dirs: { logs: logs }',
    'phases:',
    '  - id: upper',
    '    command: mkdir -p out && tr a-z A-Z < in.txt > out/result.txt',
    '    inputs: [in.txt]',
    '    outputs: [out/result.txt]',
    '  - id: huge',
    '    command: head -c 33554433 /dev/zero > big.bin',
    '    outputs: [big.bin]',
  ]);
  const run = await runCli(['run', 'flow.yaml', '--redis', pool.redis.url], {
    cwd: dir,
    env: parexEnv(null),
  });
  assert.equal(run.code, 1, run.stderr);
  assert.equal(readFileSync(path.join(dir, 'out', 'result.txt'), 'utf8'), 'HELLO POOL\n');
  const ends = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  const upper = ends.find((line) => line.phase === 'upper');
  const huge = ends.find((line) => line.phase === 'huge');
  assert.equal(upper?.outcome, 'success');
  assert.equal(huge?.outcome, 'failed');
  assert.match(String(huge?.reason), /outputs are larger than 32 MiB/);
  assert.equal(existsSync(path.join(dir, 'big.bin')), false);
});

test('an output that comes back is never written through a link planted where it lands', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'precious.txt'), 'keep me\n');
  mkdirSync(path.join(dir, 'out'));
  symlinkSync(path.join(dir, 'precious.txt'), path.join(dir, 'out', 'result.txt'));
  writeWorkflow(dir, [
    'name: planted',
    'defaults: { agent: command }',
    'dirs: { logs: logs }',
    'phases:',
    '  - id: write',
    '    command: mkdir -p out && echo overwritten > out/result.txt',
    '    outputs: [out/result.txt]',
  ]);
  const run = await runCli(['run', 'flow.yaml', '--redis', pool.redis.url], {
    cwd: dir,
    env: parexEnv(null),
  });
  assert.equal(run.code, 1, run.stderr);
  assert.equal(readFileSync(path.join(dir, 'precious.txt'), 'utf8'), 'keep me\n');
  const [end] = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  assert.equal(end?.outcome, 'failed');
  assert.match(String(end?.reason), /out\/result\.txt could not be written: .* is a symbolic link/);
});

function rss(pid: number | undefined): number {
  if (pid === undefined || pid === 0) return 0;
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Number(match?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}
