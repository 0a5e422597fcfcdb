// What the fakes print: codex -o and human mode, and each agent's JSON event stream.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { tempDir } from '../helpers/tmp.js';
import { CLAUDE_STREAM, CODEX, GEMINI_STREAM, type Json, jsonLines, obj, run } from './helpers.js';

test('codex -o writes the final message (relative to its own cwd, not -C)', async (t) => {
  const cwd = tempDir(t);
  mkdirSync(path.join(cwd, 'repo'));
  const result = await run(
    'codex',
    [
      ...CODEX,
      '-C',
      'repo',
      '-s',
      'workspace-write',
      '-o',
      'last.md',
      '--',
      '@fake write notes.md\nhello\n@fake end\n@fake say the summary',
    ],
    { cwd },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.equal(readFileSync(path.join(cwd, 'last.md'), 'utf8'), 'the summary');
  assert.equal(readFileSync(path.join(cwd, 'repo', 'notes.md'), 'utf8'), 'hello\n');
  // Human mode: progress on stderr, only the final message on stdout.
  const human = await run('codex', ['exec', '--skip-git-repo-check', '@fake say plain'], { cwd });
  assert.equal(human.stdout, 'plain\n');
  assert.match(human.stderr, /\nOpenAI Codex v0\.169\.0 \(research preview\)\n/);
});

test('each JSON mode emits parseable events that end with the terminal event', async (t) => {
  const cwd = tempDir(t);
  const prompt = '@fake write out/a.txt\nA\n@fake end\n@fake say finished';

  const codex = jsonLines(
    (await run('codex', [...CODEX, '-s', 'workspace-write', prompt], { cwd })).stdout,
  );
  assert.equal(codex[0]?.type, 'thread.started');
  assert.match(
    String(codex[0]?.thread_id),
    /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  assert.equal(codex[1]?.type, 'turn.started');
  const change = codex.find(
    (e) => e.type === 'item.completed' && (e.item as Json).type === 'file_change',
  );
  assert.deepEqual(obj(change?.item).changes, [{ path: path.join(cwd, 'out/a.txt'), kind: 'add' }]);
  assert.equal(obj(change?.item).status, 'completed');
  assert.deepEqual(codex.at(-2)?.item, { id: 'item_2', type: 'agent_message', text: 'finished' });
  assert.equal(codex.at(-1)?.type, 'turn.completed');
  assert.deepEqual(Object.keys(codex.at(-1)?.usage as Json), [
    'input_tokens',
    'cached_input_tokens',
    'output_tokens',
  ]);

  const claudeArgs = [...CLAUDE_STREAM, '--permission-mode', 'acceptEdits', prompt];
  const claude = jsonLines((await run('claude', claudeArgs, { cwd })).stdout);
  assert.equal(claude[0]?.type, 'system');
  assert.equal(claude[0]?.subtype, 'init');
  const sessionId = claude[0]?.session_id;
  assert.match(String(sessionId), /^[0-9a-f-]{36}$/);
  assert.ok(claude.some((m) => m.type === 'assistant'));
  assert.ok(claude.some((m) => m.type === 'user'));
  const result = claude.at(-1);
  assert.equal(result?.type, 'result');
  assert.equal(result?.subtype, 'success');
  assert.equal(result?.is_error, false);
  assert.equal(result?.result, 'finished');
  assert.equal(result?.session_id, sessionId);
  assert.equal(result?.num_turns, 2);
  for (const key of [
    'total_cost_usd',
    'usage',
    'duration_ms',
    'modelUsage',
    'permission_denials',
  ]) {
    assert.ok(result && key in result, key);
  }
  const claudeJson = await run('claude', ['-p', '--output-format', 'json', '@fake say one'], {
    cwd,
  });
  assert.equal(JSON.parse(claudeJson.stdout).result, 'one');
  const claudeText = await run('claude', ['-p', '@fake say text'], { cwd });
  assert.equal(claudeText.stdout, 'text\n');

  const gemini = jsonLines((await run('gemini', [...GEMINI_STREAM, '-p', prompt], { cwd })).stdout);
  assert.equal(gemini[0]?.type, 'init');
  assert.ok(gemini[0]?.session_id && gemini[0]?.model);
  assert.deepEqual(
    gemini.map((e) => e.type),
    ['init', 'message', 'tool_use', 'tool_result', 'message', 'result'],
  );
  assert.equal(gemini.at(-1)?.status, 'success');
  assert.equal(obj(gemini.at(-1)?.stats).tool_calls, 1);
  const geminiJson = await run('gemini', ['-o', 'json', '-p', '@fake say pretty'], { cwd });
  assert.equal(JSON.parse(geminiJson.stdout).response, 'pretty');
});

test('codex: an -o file it cannot write is reported on stderr, and the turn still decides the exit', async (t) => {
  const cwd = tempDir(t);
  const missing = path.join(cwd, 'no-such-dir', 'last.md');
  const result = await run(
    'codex',
    ['exec', '--skip-git-repo-check', '--json', '-o', missing, '@fake say the summary'],
    { cwd },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.ok(
    result.stderr.includes(
      `Failed to write last message file "${missing}": No such file or directory (os error 2)`,
    ),
    result.stderr,
  );
  assert.equal(jsonLines(result.stdout).at(-1)?.type, 'turn.completed');
  assert.equal(existsSync(missing), false);
});
