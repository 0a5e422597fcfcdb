// Usage errors of `parex worker`: exit 2 with what, why and fix, before it reaches Redis (the
// URL given is one where nothing listens, so a flag that passed would fail differently).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { runCli } from '../helpers/cli.js';
import { parexEnv } from '../helpers/exec.js';
import { tempDir } from '../helpers/tmp.js';

const NOWHERE = 'redis://:pw-hidden@127.0.0.1:1';

const CASES: readonly { args: readonly string[]; says: RegExp }[] = [
  { args: ['--concurrency', '0'], says: /--concurrency must be a whole number of jobs, 1 or more/ },
  { args: ['--concurrency', '2.5'], says: /1 or more; got "2\.5"/ },
  { args: ['--concurrency', 'many'], says: /1 or more; got "many"/ },
  { args: ['--tags', 'gpu,,linux'], says: /--tags: "" is not a tag/ },
  { args: ['--tags', 'gpu:1'], says: /--tags: "gpu:1" is not a tag/ },
  { args: ['--name', '../w1'], says: /invalid worker name "\.\.\/w1"/ },
  { args: ['--kill-after', '-1'], says: /--kill-after must be a number of seconds/ },
];

describe('parex worker: bad flags exit 2 before Redis is reached', { concurrency: 4 }, () => {
  for (const entry of CASES) {
    it(entry.args.join(' '), async (t) => {
      const dir = tempDir(t);
      const workdir = path.join(dir, 'work');
      const run = await runCli(
        ['worker', '--redis', NOWHERE, '--workdir', workdir, ...entry.args],
        { cwd: dir, env: parexEnv(null) },
      );
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, entry.says);
      assert.match(run.stderr, /^ {2}why: \S/m);
      assert.match(run.stderr, /^ {2}fix: \S/m);
      assert.doesNotMatch(run.stderr, /cannot reach Redis/);
      assert.equal(
        existsSync(workdir),
        false,
        'the workdir was made before the flags were checked',
      );
    });
  }

  for (const workdir of ['file', 'file/sub']) {
    it(`a --workdir ${workdir} where file is a file: refused, the file kept`, async (t) => {
      const dir = tempDir(t);
      writeFileSync(path.join(dir, 'file'), 'keep me\n');
      const run = await runCli(['worker', '--redis', NOWHERE, '--workdir', workdir], {
        cwd: dir,
        env: parexEnv(null),
      });
      assert.equal(run.code, 2, run.stderr);
      assert.ok(run.stderr.includes(`--workdir ${path.join(dir, workdir)} is not a directory`));
      assert.match(run.stderr, /\(a file is there, or on its path\)/);
      assert.doesNotMatch(run.stderr, /cannot reach Redis/);
      assert.equal(readFileSync(path.join(dir, 'file'), 'utf8'), 'keep me\n');
    });
  }

  it('no --redis and no PAREX_REDIS', async (t) => {
    const run = await runCli(['worker'], { cwd: tempDir(t), env: parexEnv(null) });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /parex worker needs the pool’s Redis/);
    assert.match(run.stderr, /fix: pass --redis redis:\/\/HOST:PORT \(or set PAREX_REDIS\)/);
  });

  it('PAREX_REDIS where nothing listens: what, why, fix, and the password hidden', async (t) => {
    const run = await runCli(['worker'], {
      cwd: tempDir(t),
      env: parexEnv(null, { PAREX_REDIS: NOWHERE }),
    });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 /);
    assert.match(run.stderr, /why: parex worker needs Redis/);
    assert.match(run.stderr, /fix: start it/);
    assert.doesNotMatch(run.stderr, /pw-hidden/);
  });
});
