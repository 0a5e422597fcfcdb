// The write-permission simulation: headless agents refuse writes they were not allowed.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { tempDir } from '../helpers/tmp.js';
import { CLAUDE_STREAM, CODEX, jsonLines, obj, run } from './helpers.js';

test('writes need permission, as in the real headless modes', async (t) => {
  const cwd = tempDir(t);
  const prompt = '@fake write denied.txt\nno\n@fake end';
  const claude = jsonLines((await run('claude', [...CLAUDE_STREAM, prompt], { cwd })).stdout);
  assert.equal(claude.at(-1)?.subtype, 'success');
  assert.equal((obj(claude.at(-1)?.permission_denials) as unknown as unknown[]).length, 1);
  const codex = await run('codex', [...CODEX, prompt], { cwd });
  assert.equal(codex.code, 0);
  const gemini = await run('gemini', ['-p', prompt], { cwd });
  assert.equal(gemini.code, 0);
  assert.equal(existsSync(path.join(cwd, 'denied.txt')), false);
  const allowed = await run('claude', ['-p', '--allowedTools', 'Write', '--', prompt], { cwd });
  assert.equal(allowed.code, 0);
  assert.equal(readFileSync(path.join(cwd, 'denied.txt'), 'utf8'), 'no\n');
});
