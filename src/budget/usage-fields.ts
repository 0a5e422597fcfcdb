// Between a job's completion-line details and the accounting: the usage the agent's final
// event reported (read by the adapter when the job ended), and the spend fields written back.
import type { Spend, TokenUsage } from '../model/outcome.js';

/** The usage in a completion line's details, when it says more than the live figure did; else null. */
export function finalUsage(
  details: Readonly<Record<string, unknown>>,
  live: Spend | null,
): TokenUsage | null {
  const input = numberOr(details.input_tokens, null);
  const output = numberOr(details.output_tokens, null);
  if (input === null && output === null) return null;
  const cost = numberOr(details.cost_usd, null);
  const tokens = (input ?? 0) + (output ?? 0);
  if (
    live !== null &&
    tokens <= live.tokens &&
    (cost === null || live.cost_source === 'reported')
  ) {
    return null;
  }
  return {
    input_tokens: input ?? 0,
    cached_input_tokens: numberOr(details.cached_input_tokens, 0),
    cache_write_tokens: numberOr(details.cache_write_tokens, 0),
    output_tokens: output ?? 0,
    reasoning_tokens: numberOr(details.reasoning_tokens, 0),
    cost_usd: cost,
    model: typeof details.model === 'string' ? details.model : null,
  };
}

/** The fields of a completion line that carry an attempt's spend. */
export function spendFields(spend: Spend | null): Record<string, unknown> {
  if (spend === null) return {};
  return {
    input_tokens: spend.input_tokens,
    cached_input_tokens: spend.cached_input_tokens,
    cache_write_tokens: spend.cache_write_tokens,
    output_tokens: spend.output_tokens,
    reasoning_tokens: spend.reasoning_tokens,
    cost_usd: spend.cost_usd === null ? null : Number(spend.cost_usd.toFixed(6)),
    cost_source: spend.cost_source,
  };
}

function numberOr<T>(value: unknown, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
