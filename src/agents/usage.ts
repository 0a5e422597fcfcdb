// Token counts in the one meaning of TokenUsage (docs/manifest.md), and their sums.
import type { TokenUsage } from '../model/outcome.js';

/** No tokens yet. */
export const NO_TOKENS: TokenUsage = {
  input_tokens: 0,
  cached_input_tokens: 0,
  cache_write_tokens: 0,
  output_tokens: 0,
  reasoning_tokens: 0,
  cost_usd: null,
  model: null,
};

/** The token counts and the cost that usages and spends share. */
type Counts = Pick<
  TokenUsage,
  | 'input_tokens'
  | 'cached_input_tokens'
  | 'cache_write_tokens'
  | 'output_tokens'
  | 'reasoning_tokens'
  | 'cost_usd'
>;

/** Adds token counts like with like; a cost is known when either side knows one. */
export function addCounts(a: Counts, b: Counts): Counts {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    cached_input_tokens: a.cached_input_tokens + b.cached_input_tokens,
    cache_write_tokens: a.cache_write_tokens + b.cache_write_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    reasoning_tokens: a.reasoning_tokens + b.reasoning_tokens,
    cost_usd:
      a.cost_usd === null && b.cost_usd === null ? null : (a.cost_usd ?? 0) + (b.cost_usd ?? 0),
  };
}

/** Adds two usages like with like; the later side's model wins. */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { ...addCounts(a, b), model: b.model ?? a.model };
}
