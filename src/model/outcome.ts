// How jobs end and what they spend: the small words the rest of the model is built of.

/** How a job ended, as recorded in the manifest's `outcome` field. */
export type Outcome =
  | 'success'
  | 'failed'
  | 'timeout'
  | 'killed'
  | 'cancelled'
  | 'spawn_error'
  | 'skipped'
  | 'stalled'
  | 'budget'
  | 'conflict'
  | 'setup_failed'
  /** A pool lost the job: its worker died or stopped answering; the manifest says which. */
  | 'lost';

/** Why parex itself stopped a job's process group ('budget': the run's or phase's money or tokens ran out). */
export type StopReason = 'timeout' | 'cancel' | 'stall' | 'budget';

/** Where a cost figure comes from: the agent, parex's price table, or nowhere (unknown model). */
export type CostSource = 'reported' | 'estimated' | 'unknown';

/** What a job (or a run) has spent so far. */
export interface Spend {
  readonly input_tokens: number;
  readonly cached_input_tokens: number;
  readonly cache_write_tokens: number;
  readonly output_tokens: number;
  readonly reasoning_tokens: number;
  /** input_tokens + output_tokens: what --max-tokens counts. */
  readonly tokens: number;
  /** USD; null when no part of it could be priced. */
  readonly cost_usd: number | null;
  readonly cost_source: CostSource;
}

/**
 * An agent's token use, in one meaning for every agent (docs/manifest.md): `input_tokens` counts
 * every input token including cache reads and writes, `cached_input_tokens` the cache reads
 * among them, `cache_write_tokens` the tokens written into the cache (Claude), `output_tokens`
 * the generated ones, `reasoning_tokens` those of them spent reasoning where the agent says so.
 */
export interface TokenUsage {
  readonly input_tokens: number;
  readonly cached_input_tokens: number;
  readonly cache_write_tokens: number;
  readonly output_tokens: number;
  readonly reasoning_tokens: number;
  /** As the agent reports it; null when it does not (Codex, Gemini). */
  readonly cost_usd: number | null;
  readonly model: string | null;
}
