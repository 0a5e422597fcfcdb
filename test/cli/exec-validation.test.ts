// Usage and validation errors of exec: exit 2, a what/why/fix message, nothing spawned and
// nothing written (each case runs in an empty directory with a job that would create a file).
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { runCli } from '../helpers/cli.js';
import { parexEnv } from '../helpers/exec.js';
import { tempDir } from '../helpers/tmp.js';

/** A job that leaves a file behind if it ever runs. */
const TOUCH = 'touch job-ran';

interface Case {
  readonly title: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Text the error message must contain. */
  readonly says: string;
}

const HOSTILE_NAMES = [
  '../x',
  'a;rm -rf',
  '-rf',
  '$(id)',
  'con',
  'LPT9',
  'com1',
  'n'.repeat(51),
  '',
  'a b',
  'x/y',
  'x\\y',
  'a.b',
  '\u0430dmin', // Cyrillic а, looks like "admin"
  '\uff41\uff42', // full-width ａｂ
];

const CASES: readonly Case[] = [
  ...HOSTILE_NAMES.map(
    (name): Case => ({
      title: `job name ${JSON.stringify(name)}`,
      args: [`--names=${name}`, '--', TOUCH],
      says: `invalid job name ${JSON.stringify(name)}`,
    }),
  ),
  {
    title: 'feature ../evil',
    args: ['--feature', '../evil', '--', TOUCH],
    says: 'invalid feature name "../evil"',
  },
  { title: 'group a;b', args: ['--group', 'a;b', '--', TOUCH], says: 'invalid group name "a;b"' },
  {
    title: 'PAREX_FEATURE ../evil',
    args: ['--', TOUCH],
    env: { PAREX_FEATURE: '../evil' },
    says: 'invalid feature name "../evil"',
  },
  {
    title: '2 names for 3 commands',
    args: ['--names', 'a,b', '--', TOUCH, TOUCH, TOUCH],
    says: '--names gives 2 names for 3 commands',
  },
  {
    title: 'duplicate names a,a',
    args: ['--names', 'a,a', '--', TOUCH, TOUCH],
    says: 'the job name "a" is used twice',
  },
  {
    title: 'duplicate names differing in case a,A',
    args: ['--names', 'a,A', '--', TOUCH, TOUCH],
    says: 'is used twice',
  },
  {
    title: 'an empty command',
    args: ['--', TOUCH, '  '],
    says: 'job job2 has an empty command',
  },
  {
    title: '--timeout abc',
    args: ['--timeout', 'abc', '--', TOUCH],
    says: '--timeout must be a number of seconds, 0 or more; got "abc"',
  },
  {
    title: '--timeout -1',
    args: ['--timeout', '-1', '--', TOUCH],
    says: '--timeout must be a number of seconds, 0 or more; got "-1"',
  },
  {
    title: 'PAREX_TIMEOUT=abc',
    args: ['--', TOUCH],
    env: { PAREX_TIMEOUT: 'abc' },
    says: 'PAREX_TIMEOUT must be a number of seconds, 0 or more; got "abc"',
  },
  {
    title: '--kill-after x',
    args: ['--kill-after', 'x', '--', TOUCH],
    says: '--kill-after must be a number of seconds',
  },
  {
    title: '-j x',
    args: ['-j', 'x', '--', TOUCH],
    says: '--jobs must be a whole number of jobs, 0 or more; got "x"',
  },
  {
    title: 'PAREX_JOBS=2.5',
    args: ['--', TOUCH],
    env: { PAREX_JOBS: '2.5' },
    says: 'PAREX_JOBS must be a whole number of jobs',
  },
  {
    title: 'unknown option --tmeout',
    args: ['--tmeout', '5', '--', TOUCH],
    says: "unknown option '--tmeout'",
  },
  {
    title: 'no commands',
    args: [],
    says: 'no commands to run',
  },
  {
    title: 'no commands after --',
    args: ['--'],
    says: 'no commands to run',
  },
  {
    title: 'an option of a command before --',
    args: ['ls', '-la'],
    says: "unknown option '-la'\n  why: -la is not an option of 'parex exec'",
  },
  {
    title: 'commands both as arguments and in a file',
    args: ['-a', 'missing.txt', '--', TOUCH],
    says: 'commands given both as arguments (1) and in --commands-file missing.txt',
  },
  {
    title: 'a commands file that does not exist',
    args: ['-a', 'missing.txt'],
    says: 'cannot read the commands file missing.txt: ENOENT',
  },
  {
    title: 'an empty --log-dir',
    args: ['--log-dir', '', '--', TOUCH],
    says: 'the log directory is an empty string',
  },
  {
    title: 'an empty PAREX_LOG_DIR',
    args: ['--', TOUCH],
    env: { PAREX_LOG_DIR: '' },
    says: 'the log directory is an empty string',
  },
  {
    title: '--pass-env without --redis (a run with no pool)',
    args: ['--pass-env', 'API_TOKEN', '--', TOUCH],
    says: '--pass-env has no effect without --redis',
  },
];

/** Runs `parex exec ARGS` in `dir` and checks the usage error; returns stderr. */
async function expectUsageError(
  dir: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<string> {
  const run = await runCli(['exec', ...args], { cwd: dir, env: parexEnv(null, env) });
  assert.equal(run.code, 2, `exit ${run.code}\n${run.stderr}`);
  assert.equal(run.signal, null);
  assert.equal(run.stdout, '');
  assert.doesNotMatch(run.stderr, /\[parex\] (run|started)/);
  return run.stderr;
}

describe('exec validation: exit 2, nothing spawned, nothing written', { concurrency: 4 }, () => {
  for (const entry of CASES) {
    it(entry.title, async (t) => {
      const dir = tempDir(t);
      const stderr = await expectUsageError(dir, entry.args, entry.env ?? {});
      assert.ok(
        stderr.includes(entry.says),
        `expected ${JSON.stringify(entry.says)} in:\n${stderr}`,
      );
      assert.match(stderr, /^ {2}why: \S/m);
      assert.match(stderr, /^ {2}fix: \S/m);
      assert.deepEqual(readdirSync(dir), [], 'something was written');
    });
  }

  it('a --log-dir that is a regular file', async (t) => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, 'somefile'), 'keep me\n');
    const stderr = await expectUsageError(dir, ['--log-dir', 'somefile', '--', TOUCH], {});
    assert.match(stderr, /the log directory \S*somefile exists and is not a directory/);
    assert.match(stderr, /^ {2}why: /m);
    assert.match(stderr, /^ {2}fix: /m);
    assert.deepEqual(readdirSync(dir), ['somefile']);
    assert.equal(readFileSync(path.join(dir, 'somefile'), 'utf8'), 'keep me\n');
  });

  it('a log directory that cannot be created', async (t) => {
    const dir = tempDir(t);
    // Root ignores directory permissions, so there a path under a regular file stands in.
    const asRoot = process.getuid?.() === 0;
    let logDir: string;
    if (asRoot) {
      writeFileSync(path.join(dir, 'somefile'), '');
      logDir = path.join('somefile', 'sub');
    } else {
      mkdirSync(path.join(dir, 'readonly'));
      chmodSync(path.join(dir, 'readonly'), 0o555);
      logDir = path.join('readonly', 'sub');
    }
    let stderr: string;
    try {
      stderr = await expectUsageError(dir, ['--log-dir', logDir, '--', TOUCH], {});
    } finally {
      if (!asRoot) chmodSync(path.join(dir, 'readonly'), 0o755);
    }
    assert.match(stderr, /cannot write to the log directory \S+sub \((ENOTDIR|EACCES)\)/);
    assert.match(stderr, /^ {2}why: /m);
    assert.match(stderr, /^ {2}fix: /m);
    assert.deepEqual(readdirSync(dir), [asRoot ? 'somefile' : 'readonly']);
    if (!asRoot) assert.deepEqual(readdirSync(path.join(dir, 'readonly')), []);
  });

  it('a 50-character name is accepted', async (t) => {
    const dir = tempDir(t);
    const name = `${'x'.repeat(49)}9`;
    const run = await runCli(['exec', '--names', name, '--log-dir', 'logs', '--', TOUCH], {
      cwd: dir,
      env: parexEnv(null),
    });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(readdirSync(dir).sort(), ['.parex', 'job-ran', 'logs']);
    assert.deepEqual(readdirSync(path.join(dir, 'logs')).sort(), ['manifest.jsonl', `${name}.log`]);
  });
});
