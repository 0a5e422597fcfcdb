// The live events of watched jobs: each whole line of a running job's log goes to its watcher,
// which the engine turns into job-activity and job-usage events before the job's end.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { type GroupEvent, runGroup, type TokenUsage } from '../../src/index.js';
import { tempDir } from '../helpers/tmp.js';

const usage = (output: number): TokenUsage => ({
  input_tokens: 10,
  cached_input_tokens: 0,
  cache_write_tokens: 0,
  output_tokens: output,
  reasoning_tokens: 0,
  cost_usd: null,
  model: null,
});

test('a watched job sends job-activity and job-usage while it runs; others send none', async (t) => {
  const dir = tempDir(t);
  const events: GroupEvent[] = [];
  const result = await runGroup({
    logDir: dir,
    cwd: dir,
    onEvent: (event) => events.push(event),
    jobs: [
      {
        name: 'agent',
        command: 'for n in 1 2 2 3; do echo "step $n"; sleep 0.3; done; printf tail',
        watch: () => ({
          line: (text) => ({
            activity: `doing ${text}`,
            usage: usage(Number(text.split(' ')[1] ?? 0)),
          }),
        }),
      },
      { name: 'plain', command: 'echo "step 9"; sleep 0.5' },
    ],
  });
  assert.equal(result.ok, true);
  const mine = (type: GroupEvent['type']) =>
    events.filter((event) => event.type === type && 'name' in event && event.name === 'agent');
  assert.deepEqual(
    mine('job-activity').map((event) => (event.type === 'job-activity' ? event.text : '')),
    ['doing step 1', 'doing step 2', 'doing step 2', 'doing step 3', 'doing tail'],
    'every line, the unfinished last one at the end too',
  );
  assert.deepEqual(
    mine('job-usage').map((event) => (event.type === 'job-usage' ? event.usage.output_tokens : -1)),
    [1, 2, 3, 0],
    'usage only when it changed',
  );
  const endAt = events.findIndex(
    (event) => event.type === 'job-end' && event.result.name === 'agent',
  );
  const lastActivity = events.findLastIndex((event) => event.type === 'job-activity');
  assert.ok(lastActivity < endAt, 'every activity comes before the job ends');
  assert.equal(
    events.filter((event) => event.type === 'job-activity' && event.name === 'plain').length,
    0,
  );
});
