import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { endEntry, MANIFEST_SCHEMA_VERSION, startEntry } from '../../src/journal/entries.js';
import { isEndEntry, lastCompletions, readManifest } from '../../src/journal/reader.js';
import { spanOfEntry } from '../../src/journal/spans.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

const EXAMPLE = path.join(REPO_ROOT, 'docs/manifest.example.jsonl');
const context = { runId: 'r1', feature: 'f', group: 'g' };

test('the documented example manifest parses and has the documented fields', () => {
  const { entries, badLines } = readManifest(EXAMPLE);
  assert.deepEqual(badLines, []);
  assert.equal(entries.length, 6);
  for (const entry of entries) {
    assert.equal(entry.schema_version, MANIFEST_SCHEMA_VERSION);
    assert.match(entry.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(typeof entry.run_id, 'string');
  }
  const outcomes = lastCompletions(entries).map((entry) => [
    entry.phase,
    entry.outcome,
    entry.exit_code,
  ]);
  assert.deepEqual(outcomes, [
    ['phase2b', 'failed', 3],
    ['phase2a', 'success', 0],
    ['phase2c', 'killed', 137],
  ]);
  // The documentation shows the same example.
  const doc = readFileSync(path.join(REPO_ROOT, 'docs/manifest.md'), 'utf8');
  assert.ok(doc.includes('manifest.example.jsonl'));
});

test('lines start with the original tool fields, in its order, so grep and jq scripts keep working', () => {
  const start = startEntry(context, {
    name: 'p"1',
    pid: 5,
    command: 'echo "$(x)"\n\\',
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 1, 250)),
    logPath: '/l/p.log',
    attempt: 1,
    fields: { agent: 'codex', phase: 'not-this' },
  });
  const line = JSON.stringify(start);
  assert.ok(
    line.startsWith('{"phase":"p\\"1","status":"started","timestamp":"2026-01-01T00:00:01Z"'),
  );
  assert.deepEqual(JSON.parse(line), start);
  assert.equal(start.started_at, '2026-01-01T00:00:01.250Z');
  assert.equal(
    (start as unknown as Record<string, unknown>).agent,
    'codex',
    'extra fields are added',
  );
  assert.equal(start.phase, 'p"1', 'an extra field never replaces a fixed one');
});

test('completion lines carry status, exit code, whole and exact durations', () => {
  const entry = endEntry(context, {
    name: 'a',
    command: 'x',
    outcome: 'killed',
    exitCode: 137,
    signal: 'SIGKILL',
    pid: 9,
    startedAt: new Date(1000),
    endedAt: new Date(3600),
    durationMs: 2600,
    logPath: '/l/a.log',
    stopReason: 'timeout',
    signalsSent: ['SIGTERM', 'SIGKILL'],
    timeoutSec: 1,
    idleTimeoutSec: 0,
    killAfterSec: 1,
    reapedLeftovers: false,
    errorMessage: null,
    reason: null,
    attempt: 2,
    details: { session_id: 's1' },
  });
  assert.ok(
    JSON.stringify(entry).startsWith(
      '{"phase":"a","status":"failed","exit_code":137,"duration_sec":3,',
    ),
  );
  assert.equal(entry.duration_ms, 2600);
  assert.equal(entry.outcome, 'killed');
  assert.equal(entry.attempt, 2);
  assert.equal((entry as unknown as Record<string, unknown>).session_id, 's1');
});

test('the reader reports torn or foreign lines by number and keeps the rest', (t) => {
  const file = path.join(tempDir(t), 'manifest.jsonl');
  writeFileSync(
    file,
    '{"phase":"a","status":"started","timestamp":"x"}\n\nnot json\n[1]\n{"phase":"a","sta',
  );
  const { entries, badLines } = readManifest(file);
  assert.equal(entries.length, 1);
  assert.deepEqual(badLines, [3, 4, 5]);
});

test('lines of the original tool give spans from timestamp and duration_sec', () => {
  const span = spanOfEntry({
    phase: 'p',
    status: 'success',
    timestamp: '2026-01-01T00:05:00Z',
    duration_sec: 300,
  } as never);
  assert.equal(span.durationMs, 300_000);
  assert.equal(span.startedAt.toISOString(), '2026-01-01T00:00:00.000Z');
  const { entries } = readManifest(EXAMPLE);
  const end = entries.find(isEndEntry);
  assert.ok(end);
  assert.equal(spanOfEntry(end).durationMs, end.duration_ms);
});
