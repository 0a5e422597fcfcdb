// parex itself killed with SIGKILL mid-run: its watchdog stops every job (one that ignores
// SIGTERM, one that escaped into a session of its own, short jobs ending around the kill) after
// its 1 s grace, long before the jobs would end; the manifest has only whole lines; `parex
// status` calls the unfinished jobs lost.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { endLines, parexEnv, runIdOf, startCli, waitForStderrCount } from '../helpers/exec.js';
import {
  GONE_WITHIN_MS,
  statusJson,
  waitForMarked,
  waitUntilNoneMarked,
  waitUntilWatchdogGone,
  watchdogsOf,
  wholeManifest,
} from '../helpers/faults.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { killedAfter, livingWhere } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

const LONG = ['plain', 'stubborn', 'escaper'];
const SHORT = Array.from({ length: 20 }, (_, i) => `short${String(i + 1).padStart(2, '0')}`);

test('SIGKILL of parex: every job is gone, no torn line, unfinished jobs are lost', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const commands = [
    'sleep 30',
    // Ignored signals stay ignored across exec, so sleep ignores SIGTERM too.
    "trap '' TERM; sleep 30",
    // A child in a session (and process group) of its own: killing the group misses it.
    'setsid sleep 31 & sleep 30',
    // Jobs ending around the moment of the kill, so that parex is busy writing lines then.
    ...SHORT.map((_, i) => `sleep 0.${(i % 9) + 1}; echo done`),
  ];
  const { child, done } = startCli(
    ['exec', '--names', [...LONG, ...SHORT].join(','), '--log-dir', 'logs', '--', ...commands],
    { cwd: dir, env: parexEnv(marker) },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer | string) => {
    stderr += chunk.toString();
  });
  await waitForStderrCount(child, '[parex] started ', commands.length);
  // The escaper's setsid child must exist before the kill, or the test proves nothing.
  await waitForMarked(marker, 1, 'sleep 31');
  await sleep(250);
  const runId = runIdOf(stderr);
  const killedAt = performance.now();
  child.kill('SIGKILL');
  const run = await done;
  assert.equal(run.signal, 'SIGKILL');

  const tookMs = await waitUntilNoneMarked(marker, GONE_WITHIN_MS);
  t.diagnostic(
    `every marked process gone ${Math.round(performance.now() - killedAt)} ms after the kill (${Math.round(tookMs)} ms after parex was reaped)`,
  );
  assert.ok(performance.now() - killedAt < GONE_WITHIN_MS, `took longer than ${GONE_WITHIN_MS} ms`);
  await waitUntilWatchdogGone(runId);

  const lines = wholeManifest(path.join(dir, 'logs', 'manifest.jsonl'));
  const starts = lines.filter((line) => line.status === 'started');
  assert.equal(starts.length, commands.length, 'every job had started before the kill');
  const ended = new Set(endLines(lines).map((line) => line.phase));
  for (const name of LONG) assert.ok(!ended.has(name), `${name} cannot have ended`);
  for (const line of endLines(lines)) assert.equal(line.outcome, 'success', JSON.stringify(line));

  const jobs = await statusJson(dir, 'logs');
  assert.equal(jobs.length, commands.length);
  for (const job of jobs) {
    const name = String(job.name);
    assert.equal(job.run_id, runId);
    assert.equal(job.state, ended.has(name) ? 'success' : 'lost', JSON.stringify(job));
  }
  // The lock of the dead run is left behind: the next run must take it over (see resume tests).
  assert.ok(existsSync(path.join(dir, 'logs', '.parex.lock')));
});

for (const watchdog of [
  { kind: 'the fork server', program: 'perl', env: {} as Record<string, string> },
  { kind: 'the shell watchdog', program: 'sh', env: { PAREX_FORK_SERVER: '0' } },
]) {
  test(`SIGKILL of parex: ${watchdog.kind} stops an escaped job that ignores SIGTERM, after a grace of 1 s`, async (t) => {
    const dir = tempDir(t);
    const marker = killedAfter(t);
    const cleaned = path.join(dir, 'cleaned.txt');
    const jobs: [string, string][] = [
      ['deep', `setsid sh -c "trap '' TERM; sleep 30" & echo ready; wait`],
      ['plain', 'sleep 30'],
      // Cleans up for 0.3 s after SIGTERM: the grace must not be cut short by the end of the
      // job below, 0.05 s after SIGTERM. A second SIGTERM would write "term" again.
      [
        'tidy',
        `trap 'echo term >> ${cleaned}; sleep 0.3; echo cleaned >> ${cleaned}; exit 0' TERM; sleep 30 & wait`,
      ],
      ['quick', `trap 'sleep 0.05; exit 0' TERM; sleep 30 & wait`],
    ];
    // No marker, but in its job's group, which the watchdog stops as a whole.
    jobs.push(['unmarked', 'env -i /bin/sleep 37.25']);
    const unmarked = () =>
      livingWhere(
        (pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8') === '/bin/sleep\x0037.25\0',
      );
    t.after(() => {
      for (const pid of unmarked()) process.kill(pid, 'SIGKILL');
    });
    const { child, done } = startCli(
      [
        'exec',
        '--names',
        jobs.map(([name]) => name).join(','),
        '--log-dir',
        'logs',
        '--',
        ...jobs.map(([, command]) => command),
      ],
      { cwd: dir, env: parexEnv(marker, watchdog.env) },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer | string) => {
      stderr += chunk.toString();
    });
    await waitForStderrCount(child, '[parex] started ', jobs.length);
    // Every job's `sleep 30` runs: the escaper's is in its own session, and the traps are set.
    await waitForMarked(marker, 4, 'sleep 30');
    // The unmarked job carries no marker to wait for: wait for it by its command line.
    for (
      const until = performance.now() + 10_000;
      unmarked().length === 0 && performance.now() < until;
    )
      await sleep(20);
    assert.equal(unmarked().length, 1);
    const watchdogs = watchdogsOf(runIdOf(stderr));
    assert.equal(watchdogs.length, 1, 'one watchdog per run');
    assert.equal(
      path.basename(readFileSync(`/proc/${watchdogs[0]}/cmdline`, 'utf8').split('\0')[0] ?? ''),
      watchdog.program,
    );
    const killedAt = performance.now();
    child.kill('SIGKILL');
    await done;
    await waitUntilNoneMarked(marker, GONE_WITHIN_MS);
    assert.ok(performance.now() - killedAt < GONE_WITHIN_MS);
    await waitUntilWatchdogGone(runIdOf(stderr));
    assert.deepEqual(unmarked(), [], 'the unmarked process in a job group is gone');
    const tidied = existsSync(cleaned)
      ? readFileSync(cleaned, 'utf8')
      : '(no file: no SIGTERM seen)';
    assert.equal(tidied, 'term\ncleaned\n', 'the job had its grace');
    const lines = wholeManifest(path.join(dir, 'logs', 'manifest.jsonl'));
    assert.deepEqual(
      lines.map((line) => [line.phase, line.status]),
      jobs.map(([name]) => [name, 'started']),
    );
  });
}

for (const variant of [
  { kind: 'the shell watchdog', withPlainJob: false, program: 'sh' },
  { kind: 'the fork server', withPlainJob: true, program: 'perl' },
]) {
  test(`SIGKILL of parex: ${variant.kind} stops the whole group of a job Node spawned (it has input), unmarked processes too`, async (t) => {
    const dir = tempDir(t);
    const marker = killedAfter(t);
    const runId = `20261125-000000-${variant.withPlainJob ? 'f' : 's'}${process.pid.toString(16).slice(-3)}`;
    // Like an agent: reads its prompt, then starts a child without parex's marker (as agents do
    // for MCP servers with a clean environment) that stays in its process group.
    const jobs: { name: string; command: string; input?: string }[] = [
      { name: 'agent', command: 'cat > /dev/null; env -i /bin/sleep 38.5 & wait', input: 'prompt' },
    ];
    if (variant.withPlainJob) jobs.push({ name: 'plain', command: 'sleep 30' });
    const unmarked = () =>
      livingWhere((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8') === '/bin/sleep\x0038.5\0');
    t.after(() => {
      for (const pid of unmarked()) process.kill(pid, 'SIGKILL');
    });
    const script = [
      `import { runGroup } from ${JSON.stringify(path.join(REPO_ROOT, 'dist/src/index.js'))};`,
      `await runGroup(${JSON.stringify({ jobs, runId, logDir: path.join(dir, 'logs') })});`,
    ].join('\n');
    const parex = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, ...parexEnv(marker) },
      stdio: 'ignore',
    });
    const exited = once(parex, 'exit');
    await waitUntil(() => unmarked().length === 1 && watchdogsOf(runId).length === 1, 10_000);
    const [watchdog] = watchdogsOf(runId);
    const program = readFileSync(`/proc/${watchdog}/cmdline`, 'utf8').split('\0')[0] ?? '';
    assert.equal(path.basename(program), variant.program);
    const killedAt = performance.now();
    parex.kill('SIGKILL');
    await exited;
    await waitUntil(() => unmarked().length === 0, GONE_WITHIN_MS);
    t.diagnostic(
      `the unmarked child was gone ${Math.round(performance.now() - killedAt)} ms after the kill`,
    );
    await waitUntilNoneMarked(marker, GONE_WITHIN_MS);
    await waitUntilWatchdogGone(runId);
  });
}

/** Polls `condition` every 20 ms; fails after `limitMs`. */
async function waitUntil(condition: () => boolean, limitMs: number): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!condition()) {
    assert.ok(performance.now() < deadline, `not within ${limitMs} ms`);
    await sleep(20);
  }
}
