// Faults of a pooled run, with real processes: the coordinator interrupted or SIGKILLed, a
// worker SIGKILLed mid-job, Redis stopped mid-run, and two coordinators on one Redis.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { runCli } from '../helpers/cli.js';
import {
  endLines,
  parexEnv,
  startCli,
  startLines,
  text,
  waitForStderrCount,
} from '../helpers/exec.js';
import {
  waitForMarked,
  waitUntilNoneMarked,
  wholeManifest,
  writeWorkflow,
} from '../helpers/faults.js';
import { filePool, poolExec, startRedis, type TestWorker } from '../helpers/pool.js';
import { killedAfter, livingWithMarker } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

/** Short locks, so that a dead worker's job is found in seconds. */
const FAST_STALLS = { PAREX_POOL_LOCK_MS: '3000', PAREX_POOL_STALL_MS: '1000' };

const shared = filePool('parex-pool-faults', { before, after }, FAST_STALLS);

/** Waits until only the coordinator (`except`) carries the marker: the jobs' processes are gone. */
async function jobsGone(
  marker: string,
  except: number | undefined,
  limitMs: number,
): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (livingWithMarker(marker).some((pid) => pid !== except)) {
    assert.ok(performance.now() < deadline, `job processes still alive after ${limitMs} ms`);
    await sleep(25);
  }
}

function worker(name: string, concurrency: number, url?: string): Promise<TestWorker> {
  return shared.worker(name, concurrency, url === undefined ? {} : { url });
}

test('Ctrl-C of the coordinator: every remote tree gone within grace + 2 s, queued jobs removed', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const pool = [await worker('c1', 2), await worker('c2', 2)];
  const commands = [
    "trap '' TERM; sleep 60",
    'sleep 60 & sleep 60 & wait',
    "trap '' TERM; sleep 60",
    'sleep 60',
    ...Array.from({ length: 4 }, () => 'sleep 60'),
  ];
  const { child, done } = startCli(poolExec(shared.redis.url, ['--kill-after', '1'], ...commands), {
    cwd: dir,
    env: parexEnv(marker),
  });
  await waitForStderrCount(child, '[parex] started ', 4);
  await waitForMarked(marker, 4, 'sleep 60');
  const interruptedAt = performance.now();
  child.kill('SIGINT');
  await waitUntilNoneMarked(marker, 5000);
  const goneMs = performance.now() - interruptedAt;
  t.diagnostic(`remote processes gone ${Math.round(goneMs)} ms after SIGINT (grace 1 s)`);
  assert.ok(goneMs < 3000 + 1500, `took ${goneMs} ms`);
  const run = await done;
  assert.equal(run.code, 130, run.stderr);
  const lines = wholeManifest(path.join(dir, 'logs', 'manifest.jsonl'));
  assert.equal(startLines(lines).length, 4, 'only the four jobs that had a worker started');
  const ends = endLines(lines);
  assert.equal(ends.length, 4);
  for (const end of ends) assert.equal(end.outcome, 'cancelled', JSON.stringify(end));
  const { Queue } = await import('bullmq');
  const queue = new Queue('default', {
    connection: { host: '127.0.0.1', port: shared.redis.port },
    prefix: 'parex',
  });
  const counts = await queue.getJobCounts('wait', 'active', 'delayed');
  await queue.close();
  assert.deepEqual(counts, { wait: 0, active: 0, delayed: 0 });
  await Promise.all(pool.map((one) => one.stop()));
});

test('SIGKILL of a worker mid-job: its processes stop, the attempt is lost, another worker runs it', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const pool = [await worker('k1', 1), await worker('k2', 1)];
  const { child, done } = startCli(
    poolExec(shared.redis.url, ['--retries', '1', '--retry-delay', '0'], 'sleep 5; echo finished'),
    { cwd: dir, env: parexEnv(marker), limitMs: 60_000 },
  );
  await waitForStderrCount(child, '[parex] started ', 1);
  await waitForMarked(marker, 1, 'sleep 5');
  const victim = pool.find((one) => one.output().includes('started '));
  assert.ok(victim !== undefined);
  victim.child.kill('SIGKILL');
  // Its fork server's watchdog stops the job's processes on its machine.
  await jobsGone(marker, child.pid, 3000);
  const run = await done;
  assert.equal(run.code, 0, run.stderr);
  const ends = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  assert.deepEqual(
    ends.map((end) => [end.attempt, end.outcome]),
    [
      [1, 'lost'],
      [2, 'success'],
    ],
  );
  assert.equal(ends[0]?.reason, `worker ${victim.name} lost`);
  assert.equal(ends[0]?.exit_code, null);
  const survivor = pool.find((one) => one !== victim);
  assert.deepEqual(ends[1]?.worker, { name: survivor?.name, host: hostname() });
  assert.equal(readFileSync(text(ends[1] ?? {}, 'log'), 'utf8'), 'finished\n');
  await survivor?.stop();
});

test('SIGTERM of a worker mid-job: no new jobs, the job stopped after the grace and run elsewhere', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const leaving = await shared.worker('g1', 1, { extra: ['--kill-after', '1'] });
  const once = path.join(dir, 'once');
  const { child, done } = startCli(
    poolExec(
      shared.redis.url,
      ['--retries', '1', '--retry-delay', '0'],
      `if [ -e ${once} ]; then echo again; else touch ${once}; sleep 30; fi`,
    ),
    { cwd: dir, env: parexEnv(marker), limitMs: 60_000 },
  );
  await waitForStderrCount(child, '[parex] started ', 1);
  await waitForMarked(marker, 1, 'sleep 30');
  const staying = await worker('g2', 1);
  const stoppedAt = performance.now();
  const code = await leaving.stop();
  t.diagnostic(
    `the worker exited ${Math.round(performance.now() - stoppedAt)} ms after SIGTERM (grace 1 s)`,
  );
  assert.equal(code, 0, leaving.output());
  assert.match(leaving.output(), /SIGTERM: taking no new jobs/);
  await jobsGone(marker, child.pid, 1000);
  const run = await done;
  assert.equal(run.code, 0, run.stderr);
  const ends = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  assert.deepEqual(
    ends.map((end) => [end.attempt, end.outcome, (end.worker as { name: string }).name]),
    [
      [1, 'lost', 'g1'],
      [2, 'success', 'g2'],
    ],
  );
  assert.equal(ends[0]?.reason, 'worker g1 shut down');
  await staying.stop();
});

test('a worker that stops answering: the coordinator’s backstop records the attempt lost', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const frozen = await worker('f1', 1);
  const { child, done } = startCli(
    poolExec(shared.redis.url, ['--timeout', '1', '--kill-after', '1'], 'sleep 60'),
    { cwd: dir, env: parexEnv(marker), limitMs: 60_000 },
  );
  await waitForStderrCount(child, '[parex] started ', 1);
  await waitForMarked(marker, 1, 'sleep 60');
  // Frozen, the worker enforces no deadline and reports nothing; no other worker checks stalls.
  frozen.child.kill('SIGSTOP');
  const run = await done;
  assert.equal(run.code, 1, run.stderr);
  const [end] = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  assert.equal(end?.outcome, 'lost');
  assert.equal(end?.reason, 'no end from worker f1 within the timeout, the grace and 15s');
  // Its fork server stops the job once the worker is gone for good.
  frozen.child.kill('SIGKILL');
  await jobsGone(marker, undefined, 3000);
});

test('SIGKILL of the coordinator: workers stop its jobs within 15 s; --resume reruns exactly those', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const pool = [await worker('h1', 4)];
  const go = path.join(dir, 'go');
  writeWorkflow(dir, [
    'name: flow',
    'defaults: { agent: command, timeout: 120, kill_after: 1 }',
    'dirs: { logs: logs }',
    'phases:',
    "  - { id: a, command: 'mkdir -p out && echo a > out/a.txt', outputs: [out/a.txt] }",
    `  - { id: b, command: '[ -f ${go} ] || sleep 60; mkdir -p out; echo b > out/b.txt', outputs: [out/b.txt] }`,
    `  - { id: c, command: '[ -f ${go} ] || sleep 60; mkdir -p out; echo c > out/c.txt', outputs: [out/c.txt] }`,
  ]);
  const args = ['run', 'flow.yaml', '--redis', shared.redis.url, '--pass-env', 'PAREX_TEST_MARKER'];
  const { child, done } = startCli(args, { cwd: dir, env: parexEnv(marker) });
  await waitForStderrCount(child, '[parex] finished ', 1);
  await waitForMarked(marker, 2, 'sleep 60');
  const killedAt = performance.now();
  child.kill('SIGKILL');
  await done;
  await waitUntilNoneMarked(marker, 16_000);
  t.diagnostic(
    `the workers stopped the run's jobs ${Math.round(performance.now() - killedAt)} ms after the coordinator died`,
  );
  assert.match(pool[0]?.output() ?? '', /heartbeat is gone; stopping its jobs/);
  writeFileSync(go, '');
  const resumed = await runCli([...args, '--resume'], { cwd: dir, env: parexEnv(marker) });
  assert.equal(resumed.code, 0, resumed.stderr);
  const lines = wholeManifest(path.join(dir, 'logs', 'manifest.jsonl'));
  const runs = [...new Set(lines.map((line) => line.run_id))];
  assert.equal(runs.length, 2);
  const second = lines.filter((line) => line.run_id === runs[1]);
  assert.deepEqual(
    startLines(second)
      .map((line) => line.phase)
      .sort(),
    ['b', 'c'],
  );
  assert.equal(readFileSync(path.join(dir, 'out', 'b.txt'), 'utf8'), 'b\n');
  await pool[0]?.stop();
});

test('Redis stopped mid-run: the coordinator records the job lost and exits 1; workers reconnect', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const own = await startRedis();
  t.after(() => own.stop());
  const lone = await worker('r1', 1, own.url);
  const { child, done } = startCli(poolExec(own.url, [], 'sleep 60'), {
    cwd: dir,
    env: parexEnv(marker, { PAREX_POOL_REDIS_WAIT_MS: '3000' }),
    limitMs: 60_000,
  });
  await waitForStderrCount(child, '[parex] started ', 1);
  await waitForMarked(marker, 1, 'sleep 60');
  await own.stop();
  // No coordinator can hear of the job any more: its worker stops it.
  await jobsGone(marker, child.pid, 25_000).catch((error) => {
    throw new Error(`${error}\n${lone.output()}`);
  });
  const run = await done;
  assert.equal(run.code, 1, run.stderr);
  const [end] = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  assert.equal(end?.outcome, 'lost');
  assert.match(
    String(end?.reason),
    /^Redis at redis:\/\/127\.0\.0\.1:\d+\/? unreachable for \d+s$/,
  );
  const back = await startRedis(own.port);
  t.after(() => back.stop());
  const again = await runCli(
    ['exec', '--redis', own.url, '--log-dir', 'again', '--', 'echo back'],
    {
      cwd: dir,
      env: parexEnv(null),
      limitMs: 40_000,
    },
  );
  assert.equal(again.code, 0, again.stderr);
  assert.equal(readFileSync(path.join(dir, 'again', 'job1.log'), 'utf8'), 'back\n');
  await lone.stop();
  // The lost job's queue entry went with the old Redis: one readable line, no raw BullMQ error.
  const said = lone.output();
  assert.doesNotMatch(said, /Missing key for job/);
  const gone = said.split('\n').filter((line) => line.includes('is no longer in Redis'));
  assert.ok(gone.length <= 1, said);
});

test('two coordinators on one Redis never take each other’s jobs', async (t) => {
  const dir = tempDir(t);
  const pool = [await worker('t1', 3), await worker('t2', 3)];
  const jobs = (tag: string) =>
    Array.from({ length: 10 }, (_, i) => `sleep 0.2; echo ${tag}-${i + 1}`);
  const [a, b] = await Promise.all(
    ['A', 'B'].map((tag) =>
      runCli(['exec', '--redis', shared.redis.url, '--log-dir', tag, '--', ...jobs(tag)], {
        cwd: dir,
        env: parexEnv(null),
      }),
    ),
  );
  for (const [tag, run] of [
    ['A', a],
    ['B', b],
  ] as const) {
    assert.equal(run?.code, 0, run?.stderr);
    const lines = wholeManifest(path.join(dir, tag, 'manifest.jsonl'));
    assert.equal(new Set(lines.map((line) => line.run_id)).size, 1);
    const ends = endLines(lines);
    assert.equal(ends.length, 10);
    for (const end of ends) {
      assert.equal(end.outcome, 'success');
      assert.equal(
        readFileSync(text(end, 'log'), 'utf8'),
        `${tag}-${text(end, 'phase').slice(3)}\n`,
      );
    }
  }
  await sleep(10);
  await Promise.all(pool.map((one) => one.stop()));
});
