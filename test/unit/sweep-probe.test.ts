// The sweep's lookup of a short job's newer pids one by one: it finds a setsid'd escapee that
// carries the job's marker, once (its threads, which a lookup by number also finds, are not
// processes of their own), and finds what a listing of /proc finds.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { findMarked, JOB_MARKER } from '../../src/process/terminate/sweep.js';

test('sweep: a short job escapee with threads is found once, by lookup and by listing', async (t) => {
  const startedAt = Date.now();
  // The job's own pid: every pid after it is newer.
  const floor = spawnSync('true').pid as number;
  const marker = `probe-${process.pid}-${startedAt}`;
  // A Node process has threads of its own (its pids come from the same counter).
  const escapee = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, [JOB_MARKER]: marker },
  });
  const pid = escapee.pid as number;
  t.after(() => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  });
  for (let i = 0; i < 100 && readdirSync(`/proc/${pid}/task`).length < 2; i += 1) await sleep(20);
  const threads = readdirSync(`/proc/${pid}/task`).filter((tid) => tid !== String(pid));
  assert.ok(threads.length > 0, 'the escapee has threads');
  const last = Number(readFileSync('/proc/loadavg', 'latin1').trim().split(' ')[4]);
  if (last - floor > 64) t.diagnostic(`${last - floor} pids made meanwhile: /proc was listed`);
  const values = new Set([marker]);
  const byLookup = findMarked(JOB_MARKER, values, [{ pid: floor, startedAt }]);
  assert.deepEqual([...byLookup], [[marker, [pid]]]);
  assert.deepEqual([...findMarked(JOB_MARKER, values)], [[marker, [pid]]]);
  // Not found once it is gone.
  process.kill(pid, 'SIGKILL');
  await new Promise((resolve) => escapee.once('exit', resolve));
  assert.equal(findMarked(JOB_MARKER, values, [{ pid: floor, startedAt }]).size, 0);
});
