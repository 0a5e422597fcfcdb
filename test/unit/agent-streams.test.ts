// The pieces of the agents' adapters that need no process: --help parsing, the stream readers'
// lines and tokens, and the incremental log watcher.
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { parseHelp } from '../../src/agents/capabilities.js';
import { ClaudeStream } from '../../src/agents/claude-stream.js';
import { CodexStream } from '../../src/agents/codex-stream.js';
import type { AgentEvent } from '../../src/agents/events.js';
import { watchOutput } from '../../src/engine/watch-output.js';
import type { GroupEvent } from '../../src/model/events.js';
import { tempDir } from '../helpers/tmp.js';

test('parseHelp reads the flags and choices of commander, yargs and clap help texts', () => {
  const commander = parseHelp(
    'Options:\n  --permission-mode <mode>  Permission mode (choices: "acceptEdits", "auto", "plan")\n  -p, --print  Print\n',
  );
  assert.deepEqual(commander.choices.get('permission-mode'), ['acceptEdits', 'auto', 'plan']);
  assert.ok(commander.flags.has('print'));
  const yargs = parseHelp(
    'Options:\n      --approval-mode   Set the approval mode  [string] [choices: "default", "auto_edit", "yolo", "plan"]\n      --skip-trust      Trust the current workspace for this session.  [boolean]\n',
  );
  assert.deepEqual(yargs.choices.get('approval-mode'), ['default', 'auto_edit', 'yolo', 'plan']);
  assert.ok(yargs.flags.has('skip-trust'));
  const clap = parseHelp(
    'Options:\n  -s, --sandbox <SANDBOX_MODE>\n          Select the sandbox policy\n\n          [possible values: read-only, workspace-write, danger-full-access]\n\n  -m, --model <MODEL>\n          Model\n',
  );
  assert.deepEqual(clap.choices.get('sandbox'), [
    'read-only',
    'workspace-write',
    'danger-full-access',
  ]);
  assert.equal(
    clap.choices.get('model'),
    undefined,
    'choices belong to the option above them only',
  );
});

test('the claude reader counts the cache into input_tokens, once per API message', () => {
  const stream = new ClaudeStream();
  const usage = {
    input_tokens: 10,
    cache_read_input_tokens: 100,
    cache_creation_input_tokens: 20,
    output_tokens: 5,
  };
  const message = (text: string): AgentEvent => ({
    type: 'assistant',
    message: { id: 'msg_1', usage, content: [{ type: 'text', text }] },
  });
  assert.equal(
    stream.take({ type: 'system', subtype: 'init', session_id: 's', model: 'm' }),
    'session s (m)',
  );
  assert.equal(stream.take(message('Hello\nworld')), 'Hello');
  stream.take(message('again')); // the same message id: its usage is counted once
  assert.deepEqual(stream.usage(), {
    input_tokens: 130,
    cached_input_tokens: 100,
    cache_write_tokens: 20,
    output_tokens: 5,
    reasoning_tokens: 0,
    cost_usd: null,
    model: 'm',
  });
});

test('the codex reader says what each item is and sums the turns', () => {
  const stream = new CodexStream();
  const item = (type: string, fields: Record<string, unknown>): AgentEvent => ({
    type: 'item.completed',
    item: { id: 'i', type, ...fields },
  });
  assert.equal(stream.take(item('reasoning', { text: '**x**' })), 'thinking');
  assert.equal(
    stream.take(item('command_execution', { command: 'npm test', exit_code: 1 })),
    '$ npm test → exit 1',
  );
  assert.equal(
    stream.take(
      item('file_change', { changes: [{ path: '/nowhere/a.md', kind: 'add' }], status: 'failed' }),
    ),
    'edit /nowhere/a.md (failed)',
  );
  assert.deepEqual(stream.denials, [{ tool: 'file_change', path: '/nowhere/a.md', command: null }]);
  const turn = {
    type: 'turn.completed',
    usage: { input_tokens: 1000, cached_input_tokens: 400, output_tokens: 50 },
  };
  stream.take(turn);
  assert.equal(stream.take(turn), 'turn completed: 2.0k in (800 cached) / 100 out');
});

test('the log watcher hands over whole lines as they are written, skipping a line too long to hold', async (t) => {
  const log = path.join(tempDir(t), 'job.log');
  writeFileSync(log, '');
  const events: GroupEvent[] = [];
  const seen: string[] = [];
  const watching = watchOutput(
    'job',
    log,
    {
      line: (text) => {
        seen.push(text);
        return { activity: `saw ${text.length}`, usage: null };
      },
    },
    (event) => events.push(event),
  );
  appendFileSync(log, 'one\ntw');
  await new Promise((resolve) => setTimeout(resolve, 400));
  assert.deepEqual(seen, ['one'], 'the unfinished line waits');
  appendFileSync(log, `o\n${'x'.repeat(5 * 1024 * 1024)}\nthree`);
  watching.stop();
  assert.deepEqual(seen, ['one', 'two', 'three']);
  assert.deepEqual(
    events.map((event) => (event.type === 'job-activity' ? event.text : event.type)),
    ['saw 3', 'saw 3', 'saw 5'],
  );
});
