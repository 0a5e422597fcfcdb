#!/usr/bin/env node
// The first step of `npm test`: the system tools the tests need, installed from Debian's packages
// when they are missing (as root, with apt-get), or the exact command to run when parex cannot.
// To need one more tool, add a line to NEEDS. PAREX_TEST_DEPS=skip skips this check.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** What the tests need: why, how to tell it is there, and the Debian package that provides it. */
const NEEDS = [
  { why: 'the HTML report is screenshotted headless', file: '/usr/bin/chromium', pkg: 'chromium' },
  { why: 'the live view is tested on a real terminal', command: 'tmux', pkg: 'tmux' },
  { why: 'the fork server runs on it', command: 'perl', pkg: 'perl-base' },
  { why: 'workflow tests run agents in a fresh git checkout', command: 'git', pkg: 'git' },
  { why: "the fake agents' shell tool", command: 'bash', pkg: 'bash' },
  { why: 'the docs/cli.md examples the tests run use it', command: 'jq', pkg: 'jq' },
  { why: 'the benchmark smoke run measures peak memory', file: '/usr/bin/time', pkg: 'time' },
  { why: 'mkfifo, for the special-file tests', command: 'mkfifo', pkg: 'coreutils' },
  { why: 'the pool tests start a real Redis', file: '/usr/bin/redis-server', pkg: 'redis-server' },
  { why: "the pool's TLS test makes a certificate", file: '/usr/bin/openssl', pkg: 'openssl' },
  {
    why: 'the disk-error tests format an ext4 disk',
    file: '/usr/sbin/mkfs.ext4',
    pkg: 'e2fsprogs',
  },
];

const say = (line) => process.stderr.write(`[test-deps] ${line}\n`);

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command) {
  return (process.env.PATH ?? '')
    .split(':')
    .some((dir) => dir !== '' && isExecutable(path.join(dir, command)));
}

function present(need) {
  return need.file !== undefined ? isExecutable(need.file) : onPath(need.command);
}

if (process.env.PAREX_TEST_DEPS === 'skip') process.exit(0);
const missing = NEEDS.filter((need) => !present(need));
if (missing.length === 0) process.exit(0);
const packages = [...new Set(missing.map((need) => need.pkg))];
for (const need of missing) say(`missing ${need.file ?? need.command} (${need.pkg}): ${need.why}`);
const install = ['apt-get', 'install', '-y', '--no-install-recommends', ...packages];
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !onPath('apt-get')) {
  say(
    onPath('apt-get')
      ? `not root, so not installing them; run:\n  sudo apt-get update && sudo ${install.join(' ')}\nthen npm test again (PAREX_TEST_DEPS=skip runs the tests without them, and those tests fail)`
      : `no apt-get on this machine: install ${packages.join(', ')} with its package manager, then npm test again`,
  );
  process.exit(1);
}
say(`installing ${packages.join(' ')} with apt-get`);
for (const args of [['apt-get', 'update'], install]) {
  const run = spawnSync(args[0], args.slice(1), {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (run.status !== 0) {
    say(
      `${args.join(' ')} failed (${run.status ?? run.signal}); install ${packages.join(', ')} by hand`,
    );
    process.exit(1);
  }
}
const still = NEEDS.filter((need) => !present(need));
if (still.length > 0) {
  say(
    `still missing after the install: ${still.map((need) => need.file ?? need.command).join(', ')}`,
  );
  process.exit(1);
}
