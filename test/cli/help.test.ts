// Help and version: exit 0, the options and environment variables, and the exit statuses.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';

import { COMMAND_NAMES } from '../../src/cli/command-names.js';
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

test('parex --help lists every registered command, each with its own help', async (t) => {
  const cwd = tempDir(t);
  const run = await runCli(['--help'], { cwd, env: parexEnv(null) });
  assert.equal(run.code, 0, run.stderr);
  const section = run.stdout.split('\nCommands:\n')[1]?.split('\n\n')[0] ?? '';
  const listed = [...section.matchAll(/^ {2}([a-z]+)\b/gm)].map((match) => match[1]);
  assert.deepEqual(listed, [...COMMAND_NAMES, 'help'], run.stdout);
  // docs/cli.md's synopsis names every command too.
  const synopsis = readFileSync(`${REPO_ROOT}docs/cli.md`, 'utf8');
  for (const name of COMMAND_NAMES) {
    assert.match(synopsis, new RegExp(`^parex ${name}\\b`, 'm'), `docs/cli.md: no parex ${name}`);
    const own = await runCli([name, '--help'], { cwd, env: parexEnv(null) });
    assert.equal(own.code, 0, `${name} --help: ${own.stderr}`);
    assert.match(own.stdout, new RegExp(`^Usage: parex ${name}\\b`, 'm'), own.stdout);
  }
});

test('parex --help mentions --timeout and PAREX_TIMEOUT', async (t) => {
  const run = await runCli(['--help'], { cwd: tempDir(t), env: parexEnv(null) });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(run.stdout.includes('--timeout'), run.stdout);
  assert.ok(run.stdout.includes('PAREX_TIMEOUT'), run.stdout);
  assert.match(run.stdout, /PAREX_REDIS \(exec, run, prp generate, worker/);
});

test('repeatable flags do not print an empty default list in --help', async (t) => {
  for (const command of [['exec'], ['run'], ['prp', 'generate']]) {
    const run = await runCli([...command, '--help'], { cwd: tempDir(t), env: parexEnv(null) });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /--pass-env <pattern>/);
    assert.doesNotMatch(run.stdout, /\(default: \[\]\)/, command.join(' '));
  }
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
