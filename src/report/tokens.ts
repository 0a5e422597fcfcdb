// Token counts for people, and their totals over a run. Every agent's counts have one meaning
// (TokenUsage, docs/manifest.md), so the totals add like with like: input with input (cache
// reads and writes included), cache reads with cache reads, and costs only where agents gave one.
import type { TokenUsage } from '../model/outcome.js';

/** The token totals of a run's agent jobs. */
export interface TokenTotals {
  /** Jobs that reported tokens. */
  readonly jobs: number;
  readonly input: number;
  readonly cached: number;
  readonly cacheWrites: number;
  readonly output: number;
  readonly reasoning: number;
  /** The sum of the costs reported; null when no job reported one. */
  readonly costUsd: number | null;
  /** Jobs that reported a cost (Claude does; Codex and Gemini do not). */
  readonly costJobs: number;
}

/** A job's token fields, as on its completion line (or its details). */
export type TokenFields = Readonly<Record<string, unknown>>;

/** Sums the token fields of jobs; null when none reported tokens. */
export function sumTokens(jobs: readonly TokenFields[]): TokenTotals | null {
  const number = (fields: TokenFields, key: string) =>
    typeof fields[key] === 'number' ? (fields[key] as number) : 0;
  const reported = jobs.filter((fields) => typeof fields.input_tokens === 'number');
  if (reported.length === 0) return null;
  // Only costs the agents reported: an estimate from the price table (cost_source) is not one.
  const costs = jobs.filter(
    (fields) =>
      typeof fields.cost_usd === 'number' &&
      (fields.cost_source === undefined || fields.cost_source === 'reported'),
  );
  const sum = (key: string) => reported.reduce((total, fields) => total + number(fields, key), 0);
  return {
    jobs: reported.length,
    input: sum('input_tokens'),
    cached: sum('cached_input_tokens'),
    cacheWrites: sum('cache_write_tokens'),
    output: sum('output_tokens'),
    reasoning: sum('reasoning_tokens'),
    costUsd:
      costs.length === 0
        ? null
        : costs.reduce((total, fields) => total + number(fields, 'cost_usd'), 0),
    costJobs: costs.length,
  };
}

/** "12,345 in (6,000 cached, 1,500 cache writes) / 890 out (120 reasoning); $0.0123 (2 of 3 jobs)". */
export function formatTotals(totals: TokenTotals): string {
  const count = (value: number) => value.toLocaleString('en-US');
  const parts = [
    totals.cached > 0 ? `${count(totals.cached)} cached` : null,
    totals.cacheWrites > 0 ? `${count(totals.cacheWrites)} cache writes` : null,
  ].filter((part) => part !== null);
  const inner = parts.length === 0 ? '' : ` (${parts.join(', ')})`;
  const reasoning = totals.reasoning > 0 ? ` (${count(totals.reasoning)} reasoning)` : '';
  const cost =
    totals.costUsd === null
      ? ''
      : `; $${totals.costUsd.toFixed(4)} (cost reported by ${totals.costJobs} of ${totals.jobs} job${totals.jobs === 1 ? '' : 's'})`;
  return `${count(totals.input)} in${inner} / ${count(totals.output)} out${reasoning}${cost}`;
}

/** "12.3k in (8k cached) / 450 out, $0.0123": one agent's tokens so far, for its live row. */
export function formatUsage(usage: TokenUsage): string {
  const cached =
    usage.cached_input_tokens > 0 ? ` (${compact(usage.cached_input_tokens)} cached)` : '';
  const cost = usage.cost_usd === null ? '' : `, $${usage.cost_usd.toFixed(4)}`;
  return `${compact(usage.input_tokens)} in${cached} / ${compact(usage.output_tokens)} out${cost}`;
}

function compact(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${(count / 1000).toFixed(count < 10_000 ? 1 : 0)}k`;
  return `${(count / 1_000_000).toFixed(1)}M`;
}
