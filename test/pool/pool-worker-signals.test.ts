// A worker's second SIGTERM: it does not wait out the grace of the first one; it stops its
// running jobs at once (their whole trees, SIGKILL for one that ignores SIGTERM), hands them
// back and exits 0, and the coordinator records the attempt lost, as docs/distributed.md says.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { endLines, parexEnv, startCli, waitForStderrCount } from '../helpers/exec.js';
import { waitForMarked, wholeManifest } from '../helpers/faults.js';
import { filePool, poolExec } from '../helpers/pool.js';
import { killedAfter, livingWithMarker } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

const shared = filePool('parex-pool-signals', { before, after });

/** Resolves once `read()` contains `needle`; fails after `limitMs`. */
async function waitForText(read: () => string, needle: string, limitMs: number): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!read().includes(needle)) {
    assert.ok(performance.now() < deadline, `no "${needle}" within ${limitMs} ms:\n${read()}`);
    await sleep(25);
  }
}

test('a second SIGTERM stops a worker’s jobs at once, long before their grace', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  // A grace of 60 s: the first SIGTERM alone would leave the job running for a minute.
  const leaving = await shared.worker('s1', 1, { extra: ['--kill-after', '60'] });
  const { child, done } = startCli(
    poolExec(shared.redis.url, ['--kill-after', '60'], 'trap "" TERM; sleep 60 & wait'),
    { cwd: dir, env: parexEnv(marker), limitMs: 60_000 },
  );
  await waitForStderrCount(child, '[parex] started ', 1);
  await waitForMarked(marker, 1, 'sleep 60');
  const exited = once(leaving.child, 'exit');
  leaving.child.kill('SIGTERM');
  await waitForText(leaving.output, 'SIGTERM: taking no new jobs', 10_000);
  // The job still runs within its grace after the first signal.
  assert.ok(livingWithMarker(marker).some((pid) => pid !== child.pid));
  const secondAt = performance.now();
  leaving.child.kill('SIGTERM');
  await exited;
  const tookMs = performance.now() - secondAt;
  t.diagnostic(`the worker exited ${Math.round(tookMs)} ms after its second SIGTERM`);
  assert.ok(tookMs < 20_000, `the worker took ${tookMs} ms, as if it waited out the grace`);
  assert.equal(leaving.child.exitCode, 0, leaving.output());
  assert.match(leaving.output(), /stopping every job now/);
  assert.deepEqual(
    livingWithMarker(marker).filter((pid) => pid !== child.pid),
    [],
    'the job’s processes outlived its worker',
  );
  const run = await done;
  assert.equal(run.code, 1, run.stderr);
  const ends = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  assert.deepEqual(
    ends.map((end) => [end.outcome, end.reason, (end.worker as { name: string }).name]),
    [['lost', 'worker s1 shut down', 's1']],
  );
});
