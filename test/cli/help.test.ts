// Help and version: exit 0, the options and environment variables, and the exit statuses.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import { parexEnv } from '../helpers/exec.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

test('parex --help exits 0 and documents the exit statuses', async (t) => {
  const run = await runCli(['--help'], { cwd: tempDir(t), env: parexEnv(null) });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(run.stdout.includes('Exit status'), run.stdout);
  for (const command of ['exec', 'speedup', 'name', 'selftest']) {
    assert.match(run.stdout, new RegExp(`^ {2}${command} `, 'm'));
  }
});

test('parex --help mentions --timeout and PAREX_TIMEOUT', async (t) => {
  const run = await runCli(['--help'], { cwd: tempDir(t), env: parexEnv(null) });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(run.stdout.includes('--timeout'), run.stdout);
  assert.ok(run.stdout.includes('PAREX_TIMEOUT'), run.stdout);
});

test('parex exec --help exits 0 and mentions --timeout, PAREX_TIMEOUT and Exit status', async (t) => {
  for (const args of [
    ['exec', '--help'],
    ['help', 'exec'],
  ]) {
    const run = await runCli(args, { cwd: tempDir(t), env: parexEnv(null) });
    assert.equal(run.code, 0, run.stderr);
    for (const word of ['--timeout', 'PAREX_TIMEOUT', 'Exit status', '--kill-after', '--log-dir']) {
      assert.ok(run.stdout.includes(word), `${args.join(' ')}: no ${word} in\n${run.stdout}`);
    }
  }
});

test('parex --version prints the package.json version', async (t) => {
  const pkg = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as { version: string };
  const run = await runCli(['--version'], { cwd: tempDir(t), env: parexEnv(null) });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, `${pkg.version}\n`);
});
