// Load with grandchildren: many jobs, each a shell with two children, all reaching a 1 s
// timeout at once and all obeying SIGTERM, are every one TIMEOUT (124) with SIGTERM as the only
// signal; none is "killed, ignored SIGTERM" because parex looked late. The same script with 500
// jobs is the benchmark (bench/timeouts-under-load.mjs, figures in BENCHMARKS.md). More than 10
// jobs print no MaxListenersExceededWarning.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import { parexEnv } from '../helpers/exec.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

for (const forkServer of ['1', '0']) {
  test(`100 jobs with grandchildren at a 1 s timeout: every one TIMEOUT 124 (fork server ${forkServer === '1' ? 'on' : 'off'})`, () => {
    const load = spawnSync(
      process.execPath,
      [
        path.join(REPO_ROOT, 'bench', 'timeouts-under-load.mjs'),
        '--jobs',
        '100',
        '--runs',
        '1',
        '--fork-server',
        forkServer,
        '--kill-after',
        '3',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(load.status, 0, `${load.stdout}\n${load.stderr}`);
    const run = JSON.parse(load.stdout) as Record<string, unknown>;
    assert.equal(run.timeout_124, 100, load.stdout);
    assert.equal(run.exit, 1);
  });
}

test('a run of 12 jobs prints no MaxListenersExceededWarning', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const run = await runCli(
    ['exec', '--log-dir', 'logs', '--', ...Array.from({ length: 12 }, () => 'sleep 0.2')],
    { cwd: dir, env: parexEnv(marker) },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /MaxListenersExceededWarning|Warning:/);
});
