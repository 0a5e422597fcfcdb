// The Markdown report: a failed job's log tail sits in a fence longer than any run of backticks
// in it, so that a ``` line of the job's output cannot close the fence.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyseRun } from '../../src/report/analysis.js';
import { fenceFor, formatMarkdown } from '../../src/report/markdown.js';
import { jobView } from '../helpers/job-view.js';

const start = new Date(Date.UTC(2026, 0, 1));

const failed = jobView({
  name: 'docs',
  state: 'failed',
  exitCode: 1,
  startedAt: start,
  durationMs: 1000,
  logPath: '/l/docs.log',
});

test('fenceFor is one backtick longer than the longest run, at least three', () => {
  assert.equal(fenceFor(['plain']), '```');
  assert.equal(fenceFor(['```', 'x ```` y']), '`````');
});

test('a ``` line in a log tail stays inside the fence', () => {
  const tail = ['```', '# not a heading', '````js', 'done'];
  const markdown = formatMarkdown(analyseRun([failed]), {
    title: 't',
    logDir: '/l',
    tails: { docs: tail },
  });
  const lines = markdown.split('\n');
  const open = lines.indexOf('`````');
  assert.ok(open > 0, markdown);
  assert.deepEqual(lines.slice(open, open + tail.length + 2), ['`````', ...tail, '`````']);
});
