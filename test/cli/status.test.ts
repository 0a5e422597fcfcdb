import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { runCli, waitForStderr } from '../helpers/cli.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

test('parex status shows a run in progress from another process, then its end', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  let during: Awaited<ReturnType<typeof runCli>> | null = null;
  // slow runs until status has looked (the file "go"), however long status takes to start.
  const run = await runCli(
    [
      'exec',
      '--names',
      'quick,slow',
      '--log-dir',
      'logs',
      '--',
      'exit 2',
      'echo going; until [ -e go ]; do sleep 0.05; done',
    ],
    {
      cwd: dir,
      env: { PAREX_TEST_MARKER: marker },
      onSpawn: (child) => {
        waitForStderr(child, 'finished quick').then(async () => {
          during = await runCli(['status', '--log-dir', 'logs'], { cwd: dir }).finally(() =>
            writeFileSync(path.join(dir, 'go'), ''),
          );
        });
      },
    },
  );
  assert.equal(run.code, 1);
  const shown = (during as Awaited<ReturnType<typeof runCli>> | null)?.stdout ?? '';
  assert.match(shown, /^logs: 2 jobs \(1 failed, 1 running\)/m);
  assert.match(shown, /^quick +FAILED +2 /m);
  assert.match(shown, /^slow +RUNNING +- +\S+ +1 /m);
  const after = await runCli(['status'], { cwd: dir });
  assert.equal(after.code, 0, after.stderr);
  assert.match(after.stdout, /^slow +SUCCESS +0 /m);
  const json = await runCli(['status', '--json', '--log-dir', 'logs'], { cwd: dir });
  const jobs = json.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual(
    jobs.map((job) => [job.name, job.state, job.exit_code, job.attempts]),
    [
      ['quick', 'failed', 2, 1],
      ['slow', 'success', 0, 1],
    ],
  );
});

test('a job with a start line, no completion line and no process is LOST', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'logs'));
  const line = (fields: object) =>
    `${JSON.stringify({ schema_version: 1, run_id: 'r1', feature: null, group: null, ...fields })}\n`;
  writeFileSync(
    path.join(dir, 'logs/manifest.jsonl'),
    line({
      phase: 'gone',
      status: 'started',
      timestamp: '2026-01-01T00:00:00Z',
      pid: 999999,
      command: 'x',
      started_at: '2026-01-01T00:00:00.000Z',
      log: '/x/gone.log',
      attempt: 1,
    }),
  );
  const run = await runCli(['status', '--json', '--log-dir', 'logs'], { cwd: dir });
  assert.equal(JSON.parse(run.stdout).state, 'lost');
});

test('parex logs prints a job log, follows it until the job ends, and names the jobs when one is unknown', async (t) => {
  const dir = tempDir(t);
  let followed: Promise<Awaited<ReturnType<typeof runCli>>> | null = null;
  await runCli(
    ['exec', '--names', 'talker', '--', 'for i in 1 2 3 4; do echo line $i; sleep 0.3; done'],
    {
      cwd: dir,
      onSpawn: (child) => {
        followed = waitForStderr(child, 'started  talker').then(() =>
          runCli(['logs', 'talker', '-f'], { cwd: dir }),
        );
      },
    },
  );
  // The follower ends by itself once the job has ended, however late it started.
  assert.ok(followed !== null, 'the follower was started');
  const follow = await (followed as Promise<Awaited<ReturnType<typeof runCli>>>);
  assert.equal(follow.stdout, 'line 1\nline 2\nline 3\nline 4\n');
  const printed = await runCli(['logs', 'talker'], { cwd: dir });
  assert.equal(printed.stdout, 'line 1\nline 2\nline 3\nline 4\n');
  const unknown = await runCli(['logs', 'nobody'], { cwd: dir });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /name one of: talker/);
});

test('parex runs lists the runs newest first with their outcome and wall time', async (t) => {
  const dir = tempDir(t);
  await runCli(['exec', '--', 'true'], { cwd: dir });
  await runCli(['exec', '--', 'exit 1'], { cwd: dir });
  const runs = await runCli(['runs', '--json'], { cwd: dir });
  const rows = runs.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual(
    rows.map((row) => row.outcome),
    ['failed', 'success'],
  );
  assert.ok(
    String(rows[0]?.run_id) > String(rows[1]?.run_id) || rows[0]?.run_id !== rows[1]?.run_id,
  );
  const table = await runCli(['runs'], { cwd: dir });
  assert.match(table.stdout, /^RUN +STARTED +JOBS +FAILED +WALL +OUTCOME/m);
  const empty = await runCli(['runs'], { cwd: tempDir(t) });
  assert.match(empty.stdout, /no runs recorded/);
  const none = await runCli(['status'], { cwd: tempDir(t) });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no run found/);
});

test('parex report gives stages, the critical path and failures with their last log lines', async (t) => {
  const dir = tempDir(t);
  writeFileSync(
    path.join(dir, 'flow.yaml'),
    [
      'defaults: { agent: command }',
      'phases:',
      '  - { id: first, command: "sleep 0.3" }',
      '  - { id: long, needs: [first], command: "sleep 0.8" }',
      '  - { id: short, needs: [first], command: "echo it broke; exit 6" }',
      '  - { id: tail, needs: [long], command: "true" }',
    ].join('\n'),
  );
  await runCli(['run', 'flow.yaml', '--feature', 'f'], { cwd: dir });
  const report = await runCli(['report', '--md', 'r.md'], { cwd: dir });
  assert.equal(report.code, 0, report.stderr);
  assert.match(report.stdout, /\| critical path \| first → long → tail \(/);
  assert.match(report.stdout, /\| wave 2 \| long, short \|/);
  assert.match(report.stdout, /### short: failed, exit 6\n\n```\nit broke\n```/);
});
