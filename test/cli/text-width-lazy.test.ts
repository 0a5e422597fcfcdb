// The executable's text widths: string-width (its own bundle) is loaded only when a run prints
// text that is not printable ASCII, and then the summary's columns line up by display width.
import assert from 'node:assert/strict';
import test from 'node:test';

import stringWidth from 'string-width';

import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** Whether Node's module loader, as NODE_DEBUG=module reports it, loaded the width bundle. */
const loadedWidths = (stderr: string) => /width-deps\.cjs/.test(stderr);

test('an ASCII-only run never loads string-width', async (t) => {
  const run = await runCli(['exec', '--', 'echo plain', 'echo text'], {
    cwd: tempDir(t),
    env: { NODE_DEBUG: 'module' },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /summary of run/);
  assert.ok(!loadedWidths(run.stderr), 'width-deps.cjs was loaded for ASCII text');
});

test('wide text loads it, and the summary lines up by display columns', async (t) => {
  const run = await runCli(['exec', '--', 'echo 日本語のテキスト', 'echo ascii', 'echo 🎉 party'], {
    cwd: tempDir(t),
    env: { NODE_DEBUG: 'module' },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(loadedWidths(run.stderr), 'width-deps.cjs was not loaded for wide text');
  const rows = run.stderr.split('\n').filter((line) => /^\s+job\d\s/.test(line));
  assert.equal(rows.length, 3, run.stderr);
  // The OUTCOME column starts at one display column on every row.
  const columns = rows.map((row) => stringWidth(row.slice(0, row.indexOf('SUCCESS'))));
  assert.equal(new Set(columns).size, 1, rows.join('\n'));
});
