// A workflow whose parex is killed with SIGKILL mid-run: the phases it was running are lost,
// the next run takes over the dead run's lock with a warning, and --resume runs the lost
// phases (and what needs them) again instead of reusing them.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import { parexEnv, startCli, waitForStderrCount } from '../helpers/exec.js';
import {
  assertNoneMarked,
  GONE_WITHIN_MS,
  statusJson,
  waitForMarked,
  waitUntilNoneMarked,
  wholeManifest,
  writeWorkflow,
} from '../helpers/faults.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

/** Phases b and c hang until the file "go" exists; c ignores SIGTERM. */
const FLOW = [
  'name: flow',
  'defaults: { agent: command, timeout: 60, kill_after: 1 }',
  'dirs: { logs: logs }',
  'phases:',
  "  - { id: a, command: 'mkdir -p out && echo a > out/a.txt', outputs: [out/a.txt] }",
  "  - { id: b, needs: [a], command: '[ -f go ] || sleep 30; echo b > out/b.txt', outputs: [out/b.txt] }",
  `  - { id: c, needs: [a], command: "trap '' TERM; [ -f go ] || sleep 30; echo c > out/c.txt", outputs: [out/c.txt] }`,
  "  - { id: d, needs: [b, c], command: 'cat out/b.txt out/c.txt > out/d.txt', outputs: [out/d.txt] }",
];

/** Starts `parex run flow.yaml`, waits for `started` phases to start, SIGKILLs it. */
async function killMidRun(dir: string, marker: string, started: number): Promise<void> {
  const { child, done } = startCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: dir,
    env: parexEnv(marker),
  });
  await waitForStderrCount(child, '[parex] started ', started);
  await waitForMarked(marker, 2, 'sleep 30');
  const killedAt = performance.now();
  child.kill('SIGKILL');
  const run = await done;
  assert.equal(run.signal, 'SIGKILL', run.stderr);
  await waitUntilNoneMarked(marker, GONE_WITHIN_MS);
  assert.ok(
    performance.now() - killedAt < GONE_WITHIN_MS,
    `the jobs outlived parex by more than ${GONE_WITHIN_MS} ms`,
  );
}

test('SIGKILL mid-workflow, then --resume: lost phases run again, the stale lock is taken over', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  writeWorkflow(dir, FLOW);
  await killMidRun(dir, marker, 3);

  const manifest = path.join(dir, 'logs', 'manifest.jsonl');
  const before = wholeManifest(manifest);
  const seen = before.map((line) => `${line.phase} ${line.status}`);
  assert.deepEqual(seen.slice(0, 2), ['a started', 'a success']);
  assert.deepEqual(seen.slice(2).sort(), ['b started', 'c started']);
  const states = Object.fromEntries(
    (await statusJson(dir, 'logs')).map((job) => [job.name, job.state]),
  );
  assert.deepEqual(states, { a: 'success', b: 'lost', c: 'lost' });

  writeFileSync(path.join(dir, 'go'), '');
  const resumed = await runCli(['run', 'flow.yaml', '--feature', 'feat', '--resume'], {
    cwd: dir,
    env: parexEnv(marker),
  });
  assert.equal(resumed.code, 0, resumed.stderr);
  assertNoneMarked(marker);
  assert.match(
    resumed.stderr,
    /warning: taking over a stale lock in \S*logs \(its parex pid \d+ is gone\)/,
  );
  assert.match(resumed.stderr, /reused {3}a: succeeded in run/);
  assert.doesNotMatch(resumed.stderr, /reused {3}[bcd]:/);
  const after = wholeManifest(manifest);
  const secondRun = after.slice(before.length);
  assert.deepEqual(
    secondRun
      .filter((line) => line.status === 'started')
      .map((line) => line.phase)
      .sort(),
    ['b', 'c', 'd'],
  );
  assert.ok(
    secondRun.filter((line) => line.status !== 'started').every((l) => l.status === 'success'),
  );
  assert.equal(readFileSync(path.join(dir, 'out', 'd.txt'), 'utf8'), 'b\nc\n');
  const finalStates = Object.fromEntries(
    (await statusJson(dir, 'logs')).map((job) => [job.name, job.state]),
  );
  assert.deepEqual(finalStates, { a: 'success', b: 'success', c: 'success', d: 'success' });
});

test('a phase lost in the latest run is not reused by --resume, even if it succeeded before', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  // b writes its output in two steps; killed between them, it leaves a half-written file.
  writeWorkflow(dir, [
    'name: flow',
    'defaults: { agent: command, timeout: 60, kill_after: 1 }',
    'dirs: { logs: logs }',
    'phases:',
    "  - { id: a, command: 'mkdir -p out && echo a > out/a.txt', outputs: [out/a.txt] }",
    "  - { id: b, needs: [a], command: 'echo partial > out/b.txt; [ -f slow ] && sleep 30; echo whole >> out/b.txt', outputs: [out/b.txt] }",
  ]);
  const first = await runCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: dir,
    env: parexEnv(marker),
  });
  assert.equal(first.code, 0, first.stderr);
  writeFileSync(path.join(dir, 'slow'), '');
  const { child, done } = startCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: dir,
    env: parexEnv(marker),
  });
  await waitForStderrCount(child, '[parex] started ', 2);
  await waitForMarked(marker, 1, 'sleep 30');
  child.kill('SIGKILL');
  await done;
  await waitUntilNoneMarked(marker, GONE_WITHIN_MS);
  rmSync(path.join(dir, 'slow'));
  assert.equal(readFileSync(path.join(dir, 'out', 'b.txt'), 'utf8'), 'partial\n');

  const resumed = await runCli(['run', 'flow.yaml', '--feature', 'feat', '--resume'], {
    cwd: dir,
    env: parexEnv(marker),
  });
  assert.equal(resumed.code, 0, resumed.stderr);
  assertNoneMarked(marker);
  wholeManifest(path.join(dir, 'logs', 'manifest.jsonl'));
  assert.doesNotMatch(resumed.stderr, /reused {3}b:/, 'the lost phase b was reused');
  assert.equal(readFileSync(path.join(dir, 'out', 'b.txt'), 'utf8'), 'partial\nwhole\n');
});
