// scripts/test-deps.mjs, the first step of `npm test`: missing tools are installed with apt-get
// as root, and a user who is not root is told the exact command.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { REPO_ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

const SCRIPT = path.join(REPO_ROOT, 'scripts', 'test-deps.mjs');

/** A PATH with only a fake apt-get, which records its arguments (tmux, perl, mkfifo "missing"). */
function fakeApt(dir: string): { bin: string; calls: string } {
  const bin = path.join(dir, 'bin');
  const calls = path.join(dir, 'apt-calls');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'apt-get'), `#!/bin/sh\necho "$@" >> ${calls}\n`);
  chmodSync(path.join(bin, 'apt-get'), 0o755);
  chmodSync(dir, 0o755);
  return { bin, calls };
}

test('as root, the missing packages are installed with apt-get', (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root');
  const dir = tempDir(t);
  const { bin, calls } = fakeApt(dir);
  const run = spawnSync(process.execPath, [SCRIPT], { env: { PATH: bin }, encoding: 'utf8' });
  assert.equal(run.status, 1, 'the fake apt-get installed nothing, so they are still missing');
  assert.match(run.stderr, /missing tmux \(tmux\): the live view is tested on a real terminal/);
  assert.deepEqual(readFileSync(calls, 'utf8').trim().split('\n'), [
    'update',
    'install -y --no-install-recommends tmux perl-base git bash jq coreutils',
  ]);
  assert.match(run.stderr, /still missing after the install: tmux, perl, git, bash, jq, mkfifo/);
});

test('not root: nothing is installed, and the exact apt-get command is printed', (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root to become another user');
  const dir = tempDir(t);
  const { bin, calls } = fakeApt(dir);
  const run = spawnSync(
    '/usr/bin/setpriv',
    ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, SCRIPT],
    { env: { PATH: bin }, encoding: 'utf8' },
  );
  assert.equal(run.status, 1, run.stderr);
  assert.match(
    run.stderr,
    /not root, so not installing them; run:\n {2}sudo apt-get update && sudo apt-get install -y --no-install-recommends tmux perl-base git bash jq coreutils\n/,
  );
  assert.throws(() => readFileSync(calls), 'apt-get was not run');
});

test('nothing missing, or PAREX_TEST_DEPS=skip: silent success', () => {
  for (const env of [process.env, { PATH: '/nonexistent', PAREX_TEST_DEPS: 'skip' }]) {
    const run = spawnSync(process.execPath, [SCRIPT], { env, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
  }
});
