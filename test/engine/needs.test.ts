import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';

import { runGroup, UsageError } from '../../src/index.js';
import { manifestLines } from '../helpers/manifest.js';
import { tempDir } from '../helpers/tmp.js';

test('a job starts only after the jobs it needs succeeded; dependents of a failure are skipped', async (t) => {
  const dir = tempDir(t);
  const result = await runGroup({
    jobs: [
      { name: 'first', command: 'sleep 0.2' },
      { name: 'second', command: 'exit 5', needs: ['first'] },
      { name: 'third', command: 'echo never', needs: ['second'] },
      { name: 'fourth', command: 'echo never', needs: ['third', 'first'] },
      { name: 'other', command: 'sleep 0.1' },
    ],
    logDir: dir,
  });
  const byName = new Map(result.results.map((job) => [job.name, job]));
  const first = byName.get('first');
  const second = byName.get('second');
  assert.equal(first?.outcome, 'success');
  assert.equal(second?.outcome, 'failed');
  assert.ok((second?.startedAt.getTime() ?? 0) >= (first?.endedAt.getTime() ?? Infinity));
  assert.equal(byName.get('third')?.outcome, 'skipped');
  assert.equal(byName.get('third')?.reason, 'needs second, which did not succeed');
  assert.equal(byName.get('fourth')?.outcome, 'skipped');
  assert.equal(byName.get('other')?.outcome, 'success');
  assert.equal(result.ok, false);
  const lines = manifestLines(result.manifestPath);
  const skipped = lines.filter((line) => line.status === 'skipped');
  assert.deepEqual(
    skipped.map((line) => [line.phase, line.outcome, line.exit_code]),
    [
      ['third', 'skipped', null],
      ['fourth', 'skipped', null],
    ],
  );
  assert.equal(lines.filter((line) => line.status === 'started').length, 3);
});

test('the slot limit holds across dependency waves', async (t) => {
  const dir = tempDir(t);
  let running = 0;
  let most = 0;
  const result = await runGroup({
    jobs: [
      { name: 'a', command: 'sleep 0.2' },
      { name: 'b', command: 'sleep 0.2' },
      { name: 'c', command: 'sleep 0.2' },
      { name: 'd', command: 'sleep 0.1', needs: ['a', 'b', 'c'] },
    ],
    concurrency: 2,
    logDir: dir,
    onEvent: (event) => {
      if (event.type === 'job-start') most = Math.max(most, ++running);
      if (event.type === 'job-end') running -= 1;
    },
  });
  assert.equal(result.ok, true);
  assert.equal(most, 2);
});

test('needs of unknown jobs and cycles are usage errors', async (t) => {
  const dir = tempDir(t);
  await assert.rejects(
    runGroup({ jobs: [{ name: 'a', command: 'true', needs: ['zz'] }], logDir: dir }),
    (error: unknown) => error instanceof UsageError && /needs "zz"/.test(error.message),
  );
  await assert.rejects(
    runGroup({
      jobs: [
        { name: 'a', command: 'true', needs: ['b'] },
        { name: 'b', command: 'true', needs: ['a'] },
      ],
      logDir: dir,
    }),
    (error: unknown) => error instanceof UsageError && /cycle: a -> b -> a/.test(error.message),
  );
});

test('a need that names no job suggests the nearest name and lists only the first ten of a big group', async (t) => {
  const dir = tempDir(t);
  const jobs = Array.from({ length: 500 }, (_, i) => ({ name: `shard${i + 1}`, command: 'true' }));
  await assert.rejects(
    runGroup({
      jobs: [...jobs, { name: 'merge', command: 'true', needs: ['shard77x'] }],
      logDir: dir,
    }),
    (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(
        error.what,
        /needs "shard77x", which is not a job of this group \(did you mean "shard77"\?\)/,
      );
      assert.equal(
        error.fix,
        'name only other jobs of the group: shard1, shard2, shard3, shard4, shard5, shard6, shard7, shard8, shard9, shard10 and 490 more',
      );
      return true;
    },
  );
  assert.deepEqual(readdirSync(dir), [], 'nothing written before the error');
});

test("a job's verdict can fail a process that exited 0, and adds fields to its completion line", async (t) => {
  const dir = tempDir(t);
  const result = await runGroup({
    jobs: [
      {
        name: 'agent',
        command: 'echo \'{"type":"result","is_error":true}\'',
        attempt: 2,
        manifestFields: { agent: 'claude' },
        evaluate: (job) => {
          assert.equal(job.outcome, 'success');
          return {
            outcome: 'failed',
            reason: 'agent reported an error',
            details: { session_id: 'abc' },
          };
        },
      },
    ],
    logDir: dir,
  });
  const [job] = result.results;
  assert.equal(job?.outcome, 'failed');
  assert.equal(job?.exitCode, 0);
  const end = manifestLines(result.manifestPath).at(-1);
  assert.equal(end?.status, 'failed');
  assert.equal(end?.reason, 'agent reported an error');
  assert.equal(end?.session_id, 'abc');
  assert.equal(end?.agent, 'claude');
  assert.equal(end?.attempt, 2);
});

test('after a cancel, the dependents of cancelled jobs are "not started", not skipped', async (t) => {
  const dir = tempDir(t);
  const controller = new AbortController();
  const result = await runGroup({
    jobs: [
      { name: 'first', command: 'sleep 30' },
      { name: 'second', command: 'true', needs: ['first'] },
    ],
    logDir: dir,
    killAfterSec: 1,
    signal: controller.signal,
    onEvent: (event) => {
      if (event.type === 'job-start') controller.abort('SIGINT');
    },
  });
  assert.deepEqual(
    result.results.map((job) => [job.name, job.outcome]),
    [['first', 'cancelled']],
  );
  assert.deepEqual(result.notStarted, ['second']);
  assert.ok(manifestLines(result.manifestPath).every((line) => line.status !== 'skipped'));
});
