// How each fake reacts to SIGINT, SIGTERM and SIGKILL, as its real CLI does.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { tempDir } from '../helpers/tmp.js';
import {
  CLAUDE_STREAM,
  CODEX,
  GEMINI_STREAM,
  jsonLines,
  killGroup,
  sleep,
  start,
} from './helpers.js';

test('signals: codex SIGINT interrupts (exit 1, -o written), SIGTERM kills it', async (t) => {
  const cwd = tempDir(t);
  const interrupted = start('codex', [...CODEX, '-o', 'last.md', '@fake hang\n@fake say partial'], {
    cwd,
  });
  await interrupted.waitFor('stdout', '"turn.started"');
  interrupted.child.kill('SIGINT');
  const result = await interrupted.done;
  assert.equal(result.code, 1);
  assert.equal(readFileSync(path.join(cwd, 'last.md'), 'utf8'), 'partial');
  const types = jsonLines(result.stdout).map((e) => e.type);
  assert.ok(!types.includes('turn.completed') && !types.includes('turn.failed'));

  const terminated = start('codex', [...CODEX, '-o', 'term.md', '@fake hang'], { cwd });
  await terminated.waitFor('stdout', '"turn.started"');
  terminated.child.kill('SIGTERM');
  const killed = await terminated.done;
  assert.equal(killed.signal, 'SIGTERM');
  assert.equal(existsSync(path.join(cwd, 'term.md')), false);
});

test('signals: claude dies on SIGTERM without a result; gemini exits 0', async (t) => {
  const cwd = tempDir(t);
  const claude = start('claude', [...CLAUDE_STREAM, '@fake hang'], { cwd });
  await claude.waitFor('stdout', '"subtype":"init"');
  claude.child.kill('SIGTERM');
  const claudeResult = await claude.done;
  assert.equal(claudeResult.signal, 'SIGTERM');
  assert.ok(!jsonLines(claudeResult.stdout).some((m) => m.type === 'result'));

  const gemini = start('gemini', [...GEMINI_STREAM, '-p', '@fake hang'], { cwd });
  await gemini.waitFor('stdout', '"type":"init"');
  gemini.child.kill('SIGTERM');
  const geminiResult = await gemini.done;
  assert.equal(geminiResult.code, 0);
  assert.equal(geminiResult.signal, null);
  assert.ok(!jsonLines(geminiResult.stdout).some((e) => e.type === 'result'));
});

test('@fake ignore-sigterm leaves SIGKILL as the only way out', async (t) => {
  const cwd = tempDir(t);
  for (const [agent, args, ready] of [
    ['codex', CODEX, '"turn.started"'],
    ['gemini', [...GEMINI_STREAM, '-p'], '"type":"init"'],
  ] as const) {
    const started = start(agent, [...args, '@fake ignore-sigterm\n@fake hang'], { cwd });
    await started.waitFor('stdout', ready);
    started.child.kill('SIGTERM');
    started.child.kill('SIGINT');
    await sleep(300);
    assert.equal(started.child.exitCode, null, `${agent} should still run`);
    killGroup(started.child);
    assert.equal((await started.done).signal, 'SIGKILL');
  }
});
