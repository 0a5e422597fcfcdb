// One run per log directory: a second parex refuses (exit 2, naming the first's pid) unless
// --force; a lock whose process is gone, or whose pid now belongs to another process (another
// start time), or that cannot be read, is taken over with a warning.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import { endLines, parexEnv, startCli, waitForStderrCount } from '../helpers/exec.js';
import {
  assertNoneMarked,
  deadPid,
  GONE_WITHIN_MS,
  startTicks,
  waitUntilNoneMarked,
  wholeManifest,
} from '../helpers/faults.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

test('a second run on a busy log directory exits 2 naming the pid; with --force it runs', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const first = startCli(
    ['exec', '--names', 'holder', '--kill-after', '0.5', '--log-dir', 'logs', '--', 'sleep 30'],
    { cwd: dir, env: parexEnv(marker) },
  );
  await waitForStderrCount(first.child, '[parex] started ', 1);
  const holderPid = first.child.pid;
  assert.ok(holderPid !== undefined);
  const lock = JSON.parse(readFileSync(path.join(dir, 'logs', '.parex.lock'), 'utf8')) as {
    pid: number;
  };
  assert.equal(lock.pid, holderPid);

  const refused = await runCli(
    ['exec', '--names', 'second', '--log-dir', 'logs', '--', 'touch second-ran'],
    { cwd: dir, env: parexEnv(marker) },
  );
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(
    refused.stderr,
    new RegExp(
      `^parex: the log directory \\S+logs is in use by parex pid ${holderPid} \\(run \\S+, since `,
    ),
  );
  assert.match(refused.stderr, /fix: .*--force/);
  assert.equal(existsSync(path.join(dir, 'second-ran')), false, 'the refused run spawned its job');

  const forced = await runCli(
    ['exec', '--names', 'forced', '--force', '--log-dir', 'logs', '--', 'touch forced-ran'],
    { cwd: dir, env: parexEnv(marker) },
  );
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(
    forced.stderr,
    new RegExp(
      `warning: --force: taking the log directory \\S+logs from parex pid ${holderPid}, which is still running`,
    ),
  );
  assert.ok(existsSync(path.join(dir, 'forced-ran')));

  first.child.kill('SIGTERM');
  const firstRun = await first.done;
  assert.equal(firstRun.code, 143, firstRun.stderr);
  await waitUntilNoneMarked(marker, GONE_WITHIN_MS);
  const lines = wholeManifest(path.join(dir, 'logs', 'manifest.jsonl'));
  assert.deepEqual(
    endLines(lines)
      .map((line) => `${line.phase} ${line.outcome}`)
      .sort(),
    ['forced success', 'holder cancelled'],
  );
  assert.equal(lines.filter((line) => line.phase === 'second').length, 0);
  // Neither run leaves a lock behind: the forced one removed its own, the first finds none of its.
  assert.equal(existsSync(path.join(dir, 'logs', '.parex.lock')), false);
});

const STALE: readonly [string, (dir: string) => string, RegExp][] = [
  [
    'a dead pid',
    () => {
      const pid = deadPid();
      return JSON.stringify({ pid, start: null, run_id: 'old-run', started_at: 'then' });
    },
    /warning: taking over a stale lock in \S+logs \(its parex pid \d+ is gone\)/,
  ],
  [
    'a live pid with another start time (a reused pid)',
    () =>
      JSON.stringify({
        pid: process.pid,
        start: startTicks(process.pid) - 1,
        run_id: 'old-run',
        started_at: 'then',
      }),
    new RegExp(
      `warning: taking over a stale lock in \\S+logs \\(its parex pid ${process.pid} is gone\\)`,
    ),
  ],
  [
    'an unreadable lock (torn by a crash)',
    () => '{"pid": 12',
    /warning: taking over a stale lock in \S+logs \(its parex is gone\)/,
  ],
];

for (const [what, contents, warning] of STALE) {
  test(`a stale lock with ${what} is taken over with a warning`, async (t) => {
    const dir = tempDir(t);
    const marker = killedAfter(t);
    mkdirSync(path.join(dir, 'logs'));
    writeFileSync(path.join(dir, 'logs', '.parex.lock'), contents(dir));
    const run = await runCli(['exec', '--log-dir', 'logs', '--', 'echo ran'], {
      cwd: dir,
      env: parexEnv(marker),
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, warning);
    assertNoneMarked(marker);
    const [end] = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
    assert.equal(end?.outcome, 'success');
    assert.equal(existsSync(path.join(dir, 'logs', '.parex.lock')), false);
  });
}

test('takers racing for one lock, fresh or stale: exactly one wins every round', () => {
  // The same script as the 1,000-round benchmark (bench/lock-race.mjs), with a few rounds.
  const race = spawnSync(
    process.execPath,
    [path.join(REPO_ROOT, 'bench', 'lock-race.mjs'), '--rounds', '16', '--takers', '8'],
    { encoding: 'utf8', timeout: 120_000 },
  );
  assert.equal(race.status, 0, `${race.stdout}\n${race.stderr}`);
  const counts = JSON.parse(race.stdout) as Record<string, unknown>;
  assert.deepEqual(
    [counts.one_winner, counts.two_or_more, counts.none, counts.errors],
    [16, 0, 0, []],
  );
  assert.equal(counts.stale_rounds, 8);
});
