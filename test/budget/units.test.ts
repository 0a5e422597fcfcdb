import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { NO_TOKENS } from '../../src/agents/usage.js';
import { Ledger, priceUsage } from '../../src/budget/accounting.js';
import { BudgetLine } from '../../src/budget/budget.js';
import {
  costOf,
  priceOf,
  readPricesFile,
  shippedPrices,
  withOverrides,
} from '../../src/budget/prices.js';
import { rateLimitInLine } from '../../src/budget/rate-limits.js';
import { waitInText, waitUntilClock } from '../../src/budget/wait-text.js';
import type { TokenUsage } from '../../src/model/outcome.js';
import { parseLimitFlags, parseMaxCost } from '../../src/options/budget-flags.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

function usage(fields: Partial<TokenUsage>): TokenUsage {
  return { ...NO_TOKENS, ...fields };
}

test('the shipped price table is dated and prices dated model names by their longest prefix', () => {
  const file = JSON.parse(readFileSync(path.join(REPO_ROOT, 'data/prices.json'), 'utf8'));
  const table = shippedPrices();
  assert.match(table.asOf, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(table.asOf, file.as_of);
  assert.deepEqual(priceOf(table, 'claude-sonnet-4-5-20250929'), file.models['claude-sonnet-4-5']);
  // gpt-5-codex is its own entry, not gpt-5's: the longest prefix wins.
  assert.equal(priceOf(table, 'gpt-5-codex'), table.models.get('gpt-5-codex'));
  assert.equal(priceOf(table, 'gpt-5.1-codex-mini-2026'), table.models.get('gpt-5.1-codex-mini'));
  assert.equal(priceOf(table, 'mystery-model'), null);
  assert.equal(priceOf(table, null), null);
});

test('cost: uncached input, cache reads, cache writes and output each at their own rate', () => {
  const price = { input: 3, cached_input: 0.3, cache_write: 3.75, output: 15 };
  // 1M input of which 400k cache reads and 100k cache writes; 200k output.
  const cost = costOf(
    usage({
      input_tokens: 1_000_000,
      cached_input_tokens: 400_000,
      cache_write_tokens: 100_000,
      output_tokens: 200_000,
    }),
    price,
  );
  assert.equal(cost.toFixed(6), (0.5 * 3 + 0.4 * 0.3 + 0.1 * 3.75 + 0.2 * 15).toFixed(6));
});

test('a reported cost wins; an unknown model is counted with cost null', () => {
  const table = shippedPrices();
  const reported = priceUsage(usage({ input_tokens: 10, cost_usd: 0.5 }), table, 'gpt-5');
  assert.deepEqual([reported.cost_usd, reported.cost_source], [0.5, 'reported']);
  const estimated = priceUsage(usage({ input_tokens: 1_000_000 }), table, 'gpt-5');
  assert.deepEqual([estimated.cost_usd, estimated.cost_source], [1.25, 'estimated']);
  const unknown = priceUsage(usage({ input_tokens: 7, output_tokens: 3 }), table, 'mystery');
  assert.deepEqual([unknown.cost_usd, unknown.cost_source, unknown.tokens], [null, 'unknown', 10]);
});

test('an override file (YAML or JSON) replaces and adds models; a bad one is a usage error', (t) => {
  const dir = tempDir(t);
  const yaml = path.join(dir, 'prices.yaml');
  writeFileSync(
    yaml,
    'gpt-5:\n  input: 2\n  output: 20\nhouse-model: { input: 1, cached_input: 0.5, output: 2 }\n',
  );
  const table = withOverrides(shippedPrices(), readPricesFile(yaml));
  assert.deepEqual(priceOf(table, 'gpt-5'), {
    input: 2,
    cached_input: 2,
    cache_write: 2,
    output: 20,
  });
  assert.equal(priceOf(table, 'house-model')?.cached_input, 0.5);
  assert.ok(priceOf(table, 'claude-opus-4') !== null, 'the other shipped models stay');
  const bad = path.join(dir, 'bad.json');
  writeFileSync(bad, '{"m": {"input": -1, "output": 2}}');
  assert.throws(() => readPricesFile(bad), /not valid at m\.input/);
  assert.throws(
    () => readPricesFile(path.join(dir, 'missing.json')),
    /cannot read the price table/,
  );
});

test('the ledger keeps what earlier attempts spent and warns once per unpriced model', () => {
  const warnings: string[] = [];
  const ledger = new Ledger(shippedPrices(), (message) => warnings.push(message));
  ledger.record('a', usage({ input_tokens: 100, output_tokens: 10, model: 'mystery' }), null);
  ledger.record('a', usage({ input_tokens: 300, output_tokens: 30 }), null);
  ledger.startAttempt('a');
  ledger.record('a', usage({ input_tokens: 50, output_tokens: 5 }), null);
  ledger.record('b', usage({ input_tokens: 1_000_000, model: 'gpt-5' }), null);
  assert.equal(ledger.job('a')?.tokens, 330 + 55);
  assert.equal(ledger.current('a')?.tokens, 55);
  const run = ledger.run();
  assert.equal(run.tokens, 385 + 1_000_000);
  assert.equal(run.cost_usd, 1.25, 'the priced job counts; the unknown one adds no cost');
  assert.equal(run.cost_source, 'unknown');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /no price for model mystery/);
});

test('a budget warns once at 80% and is reached once', () => {
  const line = new BudgetLine('run', { costUsd: 1, tokens: null });
  const spend = (cost: number) => ({
    ...priceUsage(usage({}), shippedPrices(), null),
    cost_usd: cost,
  });
  assert.deepEqual(line.check(spend(0.5)), []);
  assert.deepEqual(
    line.check(spend(0.85)).map((event) => event.level),
    ['warning'],
  );
  assert.deepEqual(line.check(spend(0.9)), []);
  assert.deepEqual(
    line.check(spend(1.2)).map((event) => event.level),
    ['reached'],
  );
  assert.deepEqual(line.check(spend(1.5)), []);
  assert.match(line.reason(), /the run's budget of \$1\.00 was reached \(\$1\.20 spent\)/);
});

test('rate limits in each agent shape, with the wait each asks for', () => {
  const now = 1_000_000_000_000;
  const claudeEvent = JSON.stringify({
    type: 'rate_limit_event',
    rate_limit_info: { status: 'rejected', resetsAt: now / 1000 + 30 },
  });
  assert.deepEqual(rateLimitInLine(claudeEvent, now), {
    waitMs: 30_000,
    source: 'rate_limit_event',
  });
  const allowed = JSON.stringify({
    type: 'rate_limit_event',
    rate_limit_info: { status: 'allowed' },
  });
  assert.equal(rateLimitInLine(allowed, now), null);
  const retry = JSON.stringify({
    type: 'system',
    subtype: 'api_retry',
    error_status: 429,
    retry_delay_ms: 1500,
  });
  assert.deepEqual(rateLimitInLine(retry, now), { waitMs: 1500, source: 'api_retry (429)' });
  const overloaded = JSON.stringify({ type: 'system', subtype: 'api_retry', error_status: 500 });
  assert.equal(rateLimitInLine(overloaded, now), null);
  const codex = JSON.stringify({
    type: 'turn.failed',
    error: {
      message:
        'stream disconnected before completion: Rate limit reached for gpt-5 on tokens per min (TPM). Please try again in 4.2s. Visit https://platform.openai.com/account/rate-limits to learn more.',
    },
  });
  assert.deepEqual(rateLimitInLine(codex, now), {
    waitMs: 4200,
    source: 'rate limit in turn.failed event',
  });
  const billing = JSON.stringify({
    type: 'error',
    message: 'Quota exceeded. Check your plan and billing details.',
  });
  assert.equal(rateLimitInLine(billing, now), null, 'out of credit: waiting does not help');
  const overage = JSON.stringify({
    type: 'rate_limit_event',
    rate_limit_info: { status: 'rejected', overageStatus: 'allowed', isUsingOverage: true },
  });
  assert.equal(rateLimitInLine(overage, now), null, 'extra usage carries on');
  const gemini = JSON.stringify({
    type: 'result',
    status: 'error',
    error: {
      type: 'unknown',
      message: '[API Error: quota (Status: RESOURCE_EXHAUSTED)]\n"retryDelay": "20s"',
    },
  });
  assert.equal(rateLimitInLine(gemini, now)?.waitMs, 20_000);
  const loop = JSON.stringify({ type: 'error', severity: 'warning', message: 'Loop detected' });
  assert.equal(rateLimitInLine(loop, now), null);
  const clock = new Date(now + 3 * 3600_000);
  const at = `${clock.getHours() % 12 || 12}:${String(clock.getMinutes()).padStart(2, '0')} ${clock.getHours() < 12 ? 'AM' : 'PM'}`;
  assert.equal(
    waitUntilClock(`You've hit your usage limit. Try again at ${at}.`, now),
    3 * 3600_000 - (now % 60_000),
  );
  assert.equal(
    waitUntilClock('Try again at Dec 29th, 2099 10:15 PM.', now),
    new Date(2099, 11, 29, 22, 15).getTime() - now,
  );
  assert.equal(rateLimitInLine('HTTP 429 Too Many Requests', now)?.waitMs, null);
  assert.equal(rateLimitInLine('all 12 tests passed', now), null);
  assert.equal(waitInText('Retry-After: 7'), 7000);
  assert.equal(waitInText('"retryDelay": "12s"'), 12_000);
  assert.equal(waitInText('try again in 250ms'), 250);
  assert.equal(waitInText('Please retry in 31.4s.\nSuggested retry after 31s.'), 31_400);
  assert.equal(waitInText('Retry-After-Ms: 250'), 250);
});

test('--limit and --max-cost are checked with a message that says how to write them', () => {
  assert.deepEqual(
    [...parseLimitFlags(['claude=2', 'codex = 4'])],
    [
      ['claude', 2],
      ['codex', 4],
    ],
  );
  assert.throws(() => parseLimitFlags(['claude']), /--limit "claude" is not AGENT=N/);
  assert.throws(() => parseLimitFlags(['command=2']), /known agent/);
  assert.throws(() => parseLimitFlags(['claude=0']), /N of 1 or more/);
  assert.equal(parseMaxCost('$2.50'), 2.5);
  assert.throws(() => parseMaxCost('0'), /--max-cost must be a number of US dollars above 0/);
  assert.throws(() => parseMaxCost('lots'), /e\.g\. --max-cost 5/);
});
