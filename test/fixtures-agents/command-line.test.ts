// The command lines of the fakes: versions and usage errors, as each real CLI's parser reports
// them.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { tempDir } from '../helpers/tmp.js';
import { run } from './helpers.js';

test('--version prints the versions of the real CLIs', async (t) => {
  const cwd = tempDir(t);
  assert.equal((await run('codex', ['--version'], { cwd })).stdout, 'codex-cli 0.169.0\n');
  assert.equal((await run('claude', ['--version'], { cwd })).stdout, '2.1.332 (Claude Code)\n');
  assert.equal((await run('gemini', ['--version'], { cwd })).stdout, '0.61.0\n');
});

test('codex rejects unknown flags the way clap does: usage on stderr, exit 2', async (t) => {
  const cwd = tempDir(t);
  for (const flag of ['--prompt', '--full-auto']) {
    const result = await run('codex', ['exec', flag, 'do it'], { cwd });
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, new RegExp(`^error: unexpected argument '${flag}' found\\n`));
    assert.match(result.stderr, /Usage: codex exec \[OPTIONS\] \[PROMPT\]/);
  }
  const sandbox = await run('codex', ['exec', '-s', 'everything', 'x'], { cwd });
  assert.equal(sandbox.code, 2);
  assert.match(sandbox.stderr, /invalid value 'everything' for '--sandbox <SANDBOX_MODE>'/);
  const outsideGit = await run('codex', ['exec', 'x'], { cwd });
  assert.equal(outsideGit.code, 1);
  // stdin is /dev/null, not a terminal: codex still "reads additional input" (EOF at once).
  assert.equal(
    outsideGit.stderr,
    'Reading additional input from stdin...\nNot inside a trusted directory and --skip-git-repo-check was not specified.\n',
  );
  mkdirSync(path.join(cwd, '.git'));
  assert.equal((await run('codex', ['exec', 'x'], { cwd })).code, 0);
});

test('claude rejects like commander and checks its input the way print.ts does (exit 1)', async (t) => {
  const cwd = tempDir(t);
  const unknown = await run('claude', ['-p', '--prompt', 'x'], { cwd });
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, "error: unknown option '--prompt'\n");
  const noVerbose = await run('claude', ['-p', '--output-format', 'stream-json', 'x'], { cwd });
  assert.equal(noVerbose.code, 1);
  assert.equal(
    noVerbose.stderr,
    'Error: When using --print, --output-format=stream-json requires --verbose\n',
  );
  // --allowedTools is variadic: the prompt after it becomes one more tool name.
  const swallowed = await run('claude', ['-p', '--allowedTools', 'Read', 'the prompt'], { cwd });
  assert.equal(swallowed.code, 1);
  assert.match(swallowed.stderr, /^Error: Input must be provided either through stdin/);
  const badChoice = await run('claude', ['-p', '--permission-mode', 'yes', 'x'], { cwd });
  assert.equal(badChoice.code, 1);
  assert.match(badChoice.stderr, /argument 'yes' is invalid\. Allowed choices are/);
});

test('gemini rejects like yargs strict mode (exit 1)', async (t) => {
  const cwd = tempDir(t);
  const unknown = await run('gemini', ['-p', 'x', '--full-auto'], { cwd });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^Unknown arguments: full-auto, fullAuto\n/);
  const short = await run('gemini', ['-p', 'x', '-q'], { cwd });
  assert.match(short.stderr, /^Unknown argument: q\n/);
  const both = await run('gemini', ['-p', 'x', '-y', '--approval-mode', 'yolo'], { cwd });
  assert.equal(both.code, 1);
  assert.match(both.stderr, /^Cannot use both --yolo \(-y\) and --approval-mode together/);
});
