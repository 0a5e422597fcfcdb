// parex selftest: every check passes on this host, and its temporary directory is removed.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import { parexEnv } from '../helpers/exec.js';
import { tempDir } from '../helpers/tmp.js';

function selftestDirs(): Set<string> {
  return new Set(readdirSync(tmpdir()).filter((entry) => entry.startsWith('parex-selftest-')));
}

test('parex selftest passes 5 checks and leaves no temporary directory', async (t) => {
  const before = selftestDirs();
  const run = await runCli(['selftest'], { cwd: tempDir(t), env: parexEnv(null) });
  const after = selftestDirs();

  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  const lines = run.stdout.trimEnd().split('\n');
  assert.equal(lines.at(-1), '5 passed, 0 failed');
  assert.equal(lines.filter((line) => line.startsWith('  ok')).length, 5, run.stdout);
  assert.equal(lines.filter((line) => line.startsWith('  FAIL')).length, 0, run.stdout);
  const workDir = /^parex selftest in (\S+)$/m.exec(run.stdout)?.[1];
  assert.ok(workDir !== undefined, run.stdout);
  assert.equal(existsSync(workDir), false, `${workDir} was not removed`);
  assert.deepEqual(
    [...after].filter((entry) => !before.has(entry)),
    [],
  );
});
