// The invocation log: one JSON line per run in $FAKE_AGENT_LOG.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { tempDir } from '../helpers/tmp.js';
import { CODEX, logLines, run } from './helpers.js';

test('FAKE_AGENT_LOG records argv, cwd, the prompt and what stdin was', async (t) => {
  const cwd = tempDir(t);
  const log = path.join(cwd, 'log.jsonl');
  const env = { FAKE_AGENT_LOG: log };
  await run('codex', [...CODEX, 'short prompt'], { cwd, env });
  await run('claude', ['-p', 'from argv'], { cwd, input: 'from stdin', env });
  await run('gemini', ['-p', 'p'], { cwd, env });
  await run('codex', ['exec', '--prompt', 'x'], { cwd, env });
  const [codex, claude, gemini, usage] = logLines(log);
  assert.deepEqual(codex?.argv, [...CODEX, 'short prompt']);
  assert.equal(codex?.cwd, cwd);
  assert.equal(codex?.prompt, 'short prompt');
  assert.equal(codex?.prompt_source, 'argv');
  assert.equal(codex?.stdin, 'null');
  assert.equal(codex?.pgid, codex?.pid, 'spawned detached: its own process group');
  assert.equal(claude?.prompt, 'from argv\nfrom stdin');
  assert.equal(claude?.prompt_source, 'argv+stdin');
  assert.equal(claude?.stdin, 'pipe');
  assert.equal(gemini?.prompt, 'p');
  assert.equal(usage?.usage_error, true);
  assert.equal(usage?.prompt, null);
});
