import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { type GroupEvent, runGroup, UsageError } from '../../src/index.js';
import type { SpawnFunction } from '../../src/process/spawn.js';
import { manifestLines } from '../helpers/manifest.js';
import { killedAfter, livingWithMarker } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';
import { waitForText } from '../helpers/wait.js';

test('a failed job is data in the result, in the order the jobs were given', async (t) => {
  const dir = tempDir(t);
  const events: GroupEvent['type'][] = [];
  const result = await runGroup({
    jobs: ['sleep 0.3; exit 0', 'exit 4', { name: 'third', command: 'echo out; echo err >&2' }],
    logDir: dir,
    feature: 'feat',
    group: 'grp',
    runId: 'run-1',
    onEvent: (event) => events.push(event.type),
  });
  assert.equal(result.ok, false);
  assert.deepEqual(
    result.results.map((job) => [job.name, job.outcome, job.exitCode]),
    [
      ['job1', 'success', 0],
      ['job2', 'failed', 4],
      ['third', 'success', 0],
    ],
  );
  assert.equal(readFileSync(path.join(dir, 'third.log'), 'utf8'), 'out\nerr\n');
  assert.equal(events[0], 'run-start');
  assert.equal(events.at(-1), 'run-end');
  assert.deepEqual(events.filter((type) => type === 'job-start' || type === 'job-end').length, 6);
  const lines = manifestLines(result.manifestPath);
  assert.equal(lines.length, 6);
  assert.ok(
    lines.every(
      (line) => line.run_id === 'run-1' && line.feature === 'feat' && line.group === 'grp',
    ),
  );
  assert.ok(result.speedup.wallMs >= 250);
});

test('invalid options throw a UsageError before anything is written', async (t) => {
  const dir = tempDir(t);
  const logDir = path.join(dir, 'logs');
  await assert.rejects(
    runGroup({ jobs: [{ name: '../evil', command: `touch ${dir}/spawned` }], logDir }),
    UsageError,
  );
  assert.deepEqual(readdirSync(dir), []);
});

test('argv jobs run without a shell and get their input on stdin, then EOF', async (t) => {
  const dir = tempDir(t);
  const prompt = 'x'.repeat(1024 * 1024);
  const result = await runGroup({
    jobs: [
      { name: 'count', argv: ['wc', '-c'], input: prompt },
      { name: 'literal', argv: ['echo', '$(id)', 'a  b'] },
    ],
    logDir: dir,
  });
  assert.equal(result.ok, true);
  assert.equal(readFileSync(path.join(dir, 'count.log'), 'utf8').trim(), String(prompt.length));
  assert.equal(readFileSync(path.join(dir, 'literal.log'), 'utf8'), '$(id) a  b\n');
});

test('a program that does not exist is a spawn error with exit code 127 and no start line', async (t) => {
  const dir = tempDir(t);
  const result = await runGroup({
    jobs: [{ name: 'missing', argv: ['/nonexistent/agent-cli'] }],
    logDir: dir,
  });
  const [job] = result.results;
  assert.equal(job?.outcome, 'spawn_error');
  assert.equal(job?.exitCode, 127);
  assert.match(job?.errorMessage ?? '', /not found/);
  const lines = manifestLines(result.manifestPath);
  assert.deepEqual(
    lines.map((line) => [line.status, line.outcome]),
    [['failed', 'spawn_error']],
  );
});

test('a custom stop ladder starts with its first signal (SIGINT for agents that finish their turn on it)', async (t) => {
  const dir = tempDir(t);
  const result = await runGroup({
    jobs: [
      {
        name: 'agent',
        command: "trap 'echo interrupted; exit 7' INT; sleep 30",
        stopSignals: ['SIGINT', 'SIGTERM', 'SIGKILL'],
        timeoutSec: 0.3,
      },
    ],
    logDir: dir,
    killAfterSec: 5,
  });
  const [job] = result.results;
  assert.deepEqual(job?.signalsSent, ['SIGINT']);
  assert.equal(job?.outcome, 'timeout');
  assert.equal(job?.exitCode, 124);
  assert.equal(readFileSync(path.join(dir, 'agent.log'), 'utf8'), 'interrupted\n');
});

test('aborting the signal stops running jobs and leaves queued ones unstarted', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const controller = new AbortController();
  const pending = runGroup({
    jobs: ['sleep 30', 'sleep 30', 'sleep 30', 'sleep 30'],
    concurrency: 2,
    logDir: dir,
    env: { ...process.env, PAREX_TEST_MARKER: marker },
    signal: controller.signal,
    onEvent: (event) => {
      if (event.type === 'job-start' && event.name === 'job2') controller.abort('SIGINT');
    },
  });
  const result = await pending;
  assert.equal(result.cancelledBy, 'SIGINT');
  assert.deepEqual(
    result.results.map((job) => [job.name, job.outcome, job.exitCode]),
    [
      ['job1', 'cancelled', 143],
      ['job2', 'cancelled', 143],
    ],
  );
  assert.deepEqual(result.notStarted, ['job3', 'job4']);
  assert.deepEqual(livingWithMarker(marker), []);
});

test('the force signal skips the rest of the grace', async (t) => {
  const dir = tempDir(t);
  const cancel = new AbortController();
  const force = new AbortController();
  const started = Date.now();
  const pending = runGroup({
    jobs: ["trap '' TERM; echo ready; sleep 30"],
    logDir: dir,
    killAfterSec: 60,
    signal: cancel.signal,
    forceSignal: force.signal,
    onEvent: (event) => {
      if (event.type === 'job-signal' && event.signal === 'SIGTERM')
        setTimeout(() => force.abort(), 100);
    },
  });
  await waitForText(path.join(dir, 'job1.log'), 'ready');
  cancel.abort('SIGTERM');
  const result = await pending;
  assert.deepEqual(result.results[0]?.signalsSent, ['SIGTERM', 'SIGKILL']);
  assert.ok(Date.now() - started < 30_000, 'did not wait for the 60 s grace');
});

test('the spawn function can be injected, and jobs are spawned detached with stdin ignored', async (t) => {
  const dir = tempDir(t);
  const calls: unknown[] = [];
  const recording = ((file: string, args: string[], options: object) => {
    calls.push(options);
    return spawn(file, args, options);
  }) as unknown as SpawnFunction;
  await runGroup({ jobs: ['true'], logDir: dir }, recording);
  const [options] = calls as { detached: boolean; stdio: unknown[] }[];
  assert.equal(options?.detached, true);
  assert.equal(options?.stdio[0], 'ignore');
  assert.ok(existsSync(path.join(dir, 'job1.log')));
});
