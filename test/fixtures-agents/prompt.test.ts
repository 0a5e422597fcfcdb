// How the fakes read the prompt from argv and stdin, large prompts and open pipes included.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { test } from 'node:test';

import { tempDir } from '../helpers/tmp.js';
import {
  type Agent,
  CODEX,
  type Json,
  jsonLines,
  killGroup,
  logLines,
  obj,
  run,
  sleep,
  start,
} from './helpers.js';

test('codex reads the prompt from stdin for `-` and when PROMPT is missing', async (t) => {
  const cwd = tempDir(t);
  const dash = await run('codex', [...CODEX, '-'], { cwd, input: '@fake say via dash\n' });
  assert.equal(dash.code, 0);
  const message = jsonLines(dash.stdout).find(
    (e) => (e.item as Json | undefined)?.type === 'agent_message',
  );
  assert.equal(obj(message?.item).text, 'via dash');
  const missing = await run('codex', CODEX, { cwd, input: '@fake say piped' });
  assert.equal(missing.code, 0);
  assert.match(missing.stderr, /^Reading prompt from stdin\.\.\.\n/);
  const empty = await run('codex', [...CODEX, '-'], { cwd, input: '  \n' });
  assert.equal(empty.code, 1);
  assert.equal(empty.stderr, 'No prompt provided via stdin.\n');
});

test('a 1 MB prompt on stdin reaches every agent intact', async (t) => {
  const cwd = tempDir(t);
  const log = path.join(cwd, 'invocations.jsonl');
  const big = `${'x'.repeat(1024 * 1024)}\n@fake say big prompt received\n`;
  const cases: [Agent, string[], string][] = [
    ['codex', [...CODEX, '-'], big],
    ['claude', ['-p', '--output-format', 'json'], big],
    ['gemini', ['-o', 'json'], `${big}\n\n`],
  ];
  for (const [agent, args, expected] of cases) {
    const result = await run(agent, args, { cwd, input: big, env: { FAKE_AGENT_LOG: log } });
    assert.equal(result.code, 0, `${agent}: ${result.stderr}`);
    assert.match(result.stdout, /big prompt received/);
    const entry = logLines(log).at(-1);
    assert.equal(entry?.agent, agent);
    assert.equal(entry?.prompt_length, expected.length);
    assert.equal(entry?.prompt_sha256, createHash('sha256').update(expected).digest('hex'));
    assert.equal(entry?.prompt_omitted, true);
    assert.equal(entry?.stdin, 'pipe');
  }
});

test('codex hangs reading an open stdin pipe when given a PROMPT, until EOF', async (t) => {
  const cwd = tempDir(t);
  const hung = start('codex', [...CODEX, 'do the thing'], { cwd, openStdin: true });
  await sleep(500);
  assert.equal(hung.child.exitCode, null);
  assert.equal(hung.child.signalCode, null);
  assert.equal(
    await hung.waitFor('stderr', 'Reading additional input from stdin...'),
    'Reading additional input from stdin...\n',
  );
  killGroup(hung.child);
  assert.equal((await hung.done).signal, 'SIGKILL');

  // Closing stdin releases it, and what was piped is appended as a <stdin> block.
  const released = start('codex', [...CODEX, 'do the thing'], { cwd, openStdin: true });
  await sleep(200);
  released.child.stdin.end('@fake say from the pipe\n');
  const result = await released.done;
  assert.equal(result.code, 0);
  assert.equal(obj(jsonLines(result.stdout).at(-2)?.item).text, 'from the pipe');

  // Claude waits 3 s (shortened here) for the first byte, then proceeds without stdin.
  const claude = start('claude', ['-p', 'just argv'], {
    cwd,
    openStdin: true,
    env: { FAKE_CLAUDE_STDIN_TIMEOUT_MS: '100' },
  });
  const claudeResult = await claude.done;
  killGroup(claude.child);
  assert.equal(claudeResult.code, 0);
  assert.match(claudeResult.stderr, /^Warning: no stdin data received in 3s/);
});
