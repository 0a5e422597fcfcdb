// parex name: the feature name of a PRP path, or exit 2 for a name that is not valid.
import assert from 'node:assert/strict';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import { parexEnv } from '../helpers/exec.js';
import { tempDir } from '../helpers/tmp.js';

for (const [input, expected] of [
  ['prps/INITIAL_user_auth.md', 'user_auth'],
  ['INITIAL_INITIAL_x.md', 'INITIAL_x'],
  ['user_auth.md', 'user_auth'],
  ['/abs/path/INITIAL_phase-2.md', 'phase-2'],
] as const) {
  test(`parex name ${input} prints ${expected}`, async (t) => {
    const run = await runCli(['name', input], { cwd: tempDir(t), env: parexEnv(null) });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `${expected}\n`);
    assert.equal(run.stderr, '');
  });
}

for (const [title, args, says] of [
  ['prps/INITIAL_a;b.md', ['name', 'prps/INITIAL_a;b.md'], 'invalid feature name'],
  ['-- -rf', ['name', '--', '-rf'], 'invalid feature name (from "-rf") "-rf"'],
  ['prps/INITIAL_.md (empty)', ['name', 'prps/INITIAL_.md'], 'invalid feature name'],
  ['INITIAL_con.md (reserved)', ['name', 'INITIAL_con.md'], '"con" is a reserved device name'],
] as const) {
  test(`parex name ${title} exits 2`, async (t) => {
    const dir = tempDir(t);
    const run = await runCli(args, { cwd: dir, env: parexEnv(null) });
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stdout, '');
    assert.ok(run.stderr.includes(says), run.stderr);
    assert.match(run.stderr, /^ {2}why: \S/m);
    assert.match(run.stderr, /^ {2}fix: \S/m);
  });
}
