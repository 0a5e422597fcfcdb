// Each agent CLI's rate-limit shape, as the fakes print it (from the real CLIs' source: see
// test/fixtures/bin/docs/sources.md), read by parex's matcher with the wait it asks for.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { type RateLimit, rateLimitInLine } from '../../src/budget/rate-limits.js';
import {
  type Agent,
  CLAUDE_STREAM,
  CODEX,
  GEMINI_STREAM,
  run,
} from '../fixtures-agents/helpers.js';
import { tempDir } from '../helpers/tmp.js';

const ARGS: Record<Agent, readonly string[]> = {
  codex: [...CODEX, '-'],
  claude: CLAUDE_STREAM,
  gemini: GEMINI_STREAM,
};

/** Runs a fake with `directives` as its prompt: its exit code and the rate limits of its stdout. */
async function limitsOf(
  t: Parameters<typeof tempDir>[0],
  agent: Agent,
  directives: string,
): Promise<{ code: number | null; limits: RateLimit[]; stdout: string }> {
  const ran = await run(agent, ARGS[agent], { cwd: tempDir(t), input: `${directives}\n` });
  const now = Date.now();
  const limits = ran.stdout
    .split('\n')
    .map((line) => rateLimitInLine(line, now))
    .filter((found): found is RateLimit => found !== null);
  return { code: ran.code, limits, stdout: ran.stdout };
}

test('codex: a 429 after its retries names no wait; a stream rate limit and its retries do', async (t) => {
  const plain = await limitsOf(t, 'codex', '@fake rate-limit');
  assert.equal(plain.code, 1);
  assert.match(plain.stdout, /exceeded retry limit, last status: 429 Too Many Requests"/);
  assert.deepEqual(
    plain.limits.map((limit) => limit.waitMs),
    [null, null],
    'the error and turn.failed events',
  );
  const stream = await limitsOf(t, 'codex', '@fake api-retry 0.2\n@fake rate-limit 2.5');
  assert.equal(stream.code, 1);
  assert.deepEqual(
    stream.limits.map((limit) => [limit.waitMs, limit.source]),
    [
      [200, 'rate limit in error event'],
      [2500, 'rate limit in error event'],
      [2500, 'rate limit in turn.failed event'],
    ],
  );
});

test('codex: the usage limit waits until the local time it names', async (t) => {
  const limited = await limitsOf(t, 'codex', '@fake usage-limit 600');
  assert.equal(limited.code, 1);
  assert.match(limited.stdout, /You've hit your usage limit\. Try again at \d{1,2}:\d\d [AP]M\./);
  const wait = limited.limits[0]?.waitMs ?? 0;
  // The time has minute resolution: between 9 and 10 minutes from now.
  assert.ok(wait > 540_000 && wait <= 600_000, `wait ${wait}`);
  assert.equal(limited.limits[0]?.source, 'codex usage limit');
  const later = await limitsOf(t, 'codex', '@fake usage-limit');
  assert.match(later.stdout, /Try again later\./);
  assert.equal(later.limits[0]?.waitMs, null);
});

test('gemini: a quota error result, exit 173, with RetryInfo wait or the daily quota without one', async (t) => {
  const limited = await limitsOf(t, 'gemini', '@fake rate-limit 30');
  assert.equal(limited.code, 173, '429 modulo 256');
  assert.deepEqual(
    limited.limits.map((limit) => [limit.waitMs, limit.source]),
    [[30_000, 'quota error in result event']],
  );
  assert.doesNotMatch(limited.stdout, /"type":"error"/, 'handleError prints only the result');
  const daily = await limitsOf(t, 'gemini', '@fake rate-limit');
  assert.equal(daily.code, 173);
  assert.deepEqual(
    daily.limits.map((limit) => limit.waitMs),
    [null],
  );
});

test('claude: the rejected rate_limit_event until resetsAt, api_retry in retry_delay_ms, the 429 result', async (t) => {
  const limited = await limitsOf(t, 'claude', '@fake api-retry 0.3\n@fake rate-limit 40');
  assert.equal(limited.code, 1);
  const [retry, event, result] = limited.limits;
  assert.deepEqual(retry, { waitMs: 300, source: 'api_retry (429)' });
  assert.equal(event?.source, 'rate_limit_event');
  assert.ok((event?.waitMs ?? 0) > 38_000 && (event?.waitMs ?? 0) <= 41_000, `${event?.waitMs}`);
  assert.deepEqual(result, { waitMs: null, source: 'api_error_status 429' });
});
