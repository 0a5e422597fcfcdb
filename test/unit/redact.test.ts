// The redactor: secrets hidden in free text only; identifiers, paths and timestamps kept whole;
// short values not secrets unless a user pattern says so; default patterns ignore case.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { endEntry } from '../../src/journal/entries.js';
import type { JobResult } from '../../src/model/result.js';
import { runRedactor, secretValues } from '../../src/options/secrets.js';
import { makeRedactor } from '../../src/redact/redactor.js';

const result: JobResult = {
  name: 'postgres_migrate',
  command: 'psql -U postgres -c "select 2026"',
  outcome: 'failed',
  exitCode: 1,
  signal: null,
  pid: 2026,
  startedAt: new Date('2026-01-02T03:04:05.678Z'),
  endedAt: new Date('2026-01-02T03:04:06.678Z'),
  durationMs: 1000,
  logPath: '/work/logs/postgres_migrate.log',
  stopReason: null,
  signalsSent: [],
  timeoutSec: 600,
  idleTimeoutSec: 0,
  killAfterSec: 5,
  reapedLeftovers: false,
  errorMessage: null,
  reason: 'role postgres refused',
  attempt: 1,
  details: { final_message: 'as postgres', needs: ['postgres_setup'], agent: 'codex' },
  logTail: ['FATAL: password authentication failed for user "postgres"'],
};
const context = { runId: 'run-postgres-2026', feature: 'postgres', group: 'postgres' };

test('identifiers, paths and timestamps are kept; free text is redacted', () => {
  const redactor = makeRedactor(['postgres', '2026']);
  const line = redactor.record(endEntry(context, result)) as unknown as Record<string, unknown>;
  assert.equal(line.phase, 'postgres_migrate');
  assert.equal(line.run_id, 'run-postgres-2026');
  assert.equal(line.feature, 'postgres');
  assert.equal(line.group, 'postgres');
  assert.equal(line.log, '/work/logs/postgres_migrate.log');
  assert.equal(line.started_at, '2026-01-02T03:04:05.678Z');
  assert.equal(line.timestamp, '2026-01-02T03:04:06Z');
  assert.equal(line.pid, 2026);
  assert.deepEqual(line.needs, ['postgres_setup']);
  assert.equal(line.reason, 'role *** refused');
  assert.equal(line.final_message, 'as ***');
  assert.deepEqual(line.log_tail, ['FATAL: password authentication failed for user "***"']);
  // The same for the result itself (--json events, the summary).
  const event = redactor.record({ type: 'job-end', result });
  assert.equal(event.result.name, 'postgres_migrate');
  assert.equal(event.result.startedAt, result.startedAt, 'dates are kept as they are');
  assert.equal(event.result.command, 'psql -U *** -c "select ***"');
  assert.deepEqual(event.result.logTail, ['FATAL: password authentication failed for user "***"']);
});

test('values under 8 characters are not secrets by default; a user pattern forces them', () => {
  const env = { POSTGRES_PASSWORD: 'postgres', CI_TOKEN: '2026', SHORT_SECRET: 'abc' };
  assert.deepEqual(secretValues(env), ['postgres']);
  assert.deepEqual(secretValues(env, ['CI_*']).sort(), ['2026', 'postgres']);
  const redactor = runRedactor({ env, patterns: ['ci_token'] });
  assert.equal(redactor.text('2026 postgres abc'), '*** *** abc');
});

test('default patterns cover *_SECRET_*, *_PASSWORD*, *_CREDENTIALS, *_PRIVATE_KEY, any case', () => {
  const env = {
    AWS_SECRET_ACCESS_KEY: 'aws-secret-value-1',
    DB_PASSWORD_FILE_CONTENT: 'db-password-value',
    GOOGLE_CREDENTIALS: 'google-credentials-json',
    SSH_PRIVATE_KEY: 'ssh-private-key-body',
    my_api_key: 'lower-case-api-key',
    Github_Token: 'mixed-case-token-1',
    PATH: '/usr/bin:/bin',
    HOME_DIRECTORY: 'not-a-secret-at-all',
  };
  assert.deepEqual(secretValues(env).sort(), [
    'aws-secret-value-1',
    'db-password-value',
    'google-credentials-json',
    'lower-case-api-key',
    'mixed-case-token-1',
    'ssh-private-key-body',
  ]);
});

test('a run redactor takes the secrets of every job environment; the longest is hidden whole', () => {
  const redactor = runRedactor({
    env: { OUTER_TOKEN: 'outer-token-1' },
    jobEnvs: [{ DEPLOY_TOKEN: 'outer-token-1-and-more' }, { PLAIN: 'outer-visible' }],
  });
  assert.equal(
    redactor.text('outer-token-1-and-more outer-token-1 outer-visible'),
    '*** *** outer-visible',
  );
  assert.equal(makeRedactor([]).record(result), result, 'no secrets: the value itself');
});
