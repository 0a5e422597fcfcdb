// Live accounting: each agent job's usage as it grows (one figure per attempt, the latest
// cumulative one), priced when the agent does not report its cost, summed per job and run.
import { addCounts } from '../agents/usage.js';
import type { CostSource, Spend, TokenUsage } from '../model/outcome.js';
import { costOf, type PriceTable, priceOf } from './prices.js';

/** Nothing spent. */
export const NO_SPEND: Spend = {
  input_tokens: 0,
  cached_input_tokens: 0,
  cache_write_tokens: 0,
  output_tokens: 0,
  reasoning_tokens: 0,
  tokens: 0,
  cost_usd: null,
  cost_source: 'reported',
};

/** The spend of one usage: its reported cost, else its cost at the table's prices, else unknown. */
export function priceUsage(usage: TokenUsage, table: PriceTable, model: string | null): Spend {
  const tokens = {
    input_tokens: usage.input_tokens,
    cached_input_tokens: usage.cached_input_tokens,
    cache_write_tokens: usage.cache_write_tokens,
    output_tokens: usage.output_tokens,
    reasoning_tokens: usage.reasoning_tokens,
    tokens: usage.input_tokens + usage.output_tokens,
  };
  if (usage.cost_usd !== null)
    return { ...tokens, cost_usd: usage.cost_usd, cost_source: 'reported' };
  const price = priceOf(table, usage.model ?? model);
  if (price === null) return { ...tokens, cost_usd: null, cost_source: 'unknown' };
  return { ...tokens, cost_usd: costOf(usage, price), cost_source: 'estimated' };
}

/** Adds spends: tokens and known costs add; the source is the least certain of the parts. */
export function addSpend(a: Spend, b: Spend): Spend {
  return {
    ...addCounts(a, b),
    tokens: a.tokens + b.tokens,
    cost_source: worse(a.cost_source, b.cost_source),
  };
}

/** Every job's spend, attempt by attempt, and warnings for models without a price. */
export class Ledger {
  /** Per job: the spend of its finished attempts, and the latest figure of the current one. */
  private readonly jobs = new Map<
    string,
    { past: Spend; current: Spend | null; model: string | null }
  >();
  private readonly unpriced = new Set<string>();

  constructor(
    private readonly table: PriceTable,
    private readonly warn: (message: string) => void,
  ) {}

  /** A new attempt of `name` starts from nothing; what earlier attempts spent stays spent. */
  startAttempt(name: string): void {
    const job = this.jobs.get(name);
    if (job?.current != null)
      this.jobs.set(name, { ...job, past: addSpend(job.past, job.current), current: null });
  }

  /** The current attempt's cumulative usage so far; returns the job's new spend. */
  record(name: string, usage: TokenUsage, model: string | null): Spend {
    const job = this.jobs.get(name) ?? { past: NO_SPEND, current: null, model: null };
    // A model named once (Claude's init, an assistant message) prices the job's later figures.
    const named = usage.model ?? job.model;
    const spend = priceUsage(usage, this.table, named ?? model);
    if (spend.cost_source === 'unknown') this.warnUnpriced(name, named ?? model);
    this.jobs.set(name, { past: job.past, current: spend, model: named });
    return addSpend(job.past, spend);
  }

  /** What the job's current (or last) attempt has spent, or null when it reported no usage. */
  current(name: string): Spend | null {
    return this.jobs.get(name)?.current ?? null;
  }

  /** What the job has spent over all its attempts, or null when it never reported usage. */
  job(name: string): Spend | null {
    const job = this.jobs.get(name);
    return job === undefined ? null : addSpend(job.past, job.current ?? NO_SPEND);
  }

  /** Every job that reported usage, with what it spent. */
  entries(): [string, Spend][] {
    return [...this.jobs.keys()].map((name) => [name, this.job(name) ?? NO_SPEND]);
  }

  /** What the whole run has spent. */
  run(): Spend {
    return this.sum(() => true);
  }

  /** What the jobs `which` picks have spent. */
  sum(which: (name: string) => boolean): Spend {
    let total = NO_SPEND;
    for (const [name, job] of this.jobs) {
      if (which(name)) total = addSpend(total, addSpend(job.past, job.current ?? NO_SPEND));
    }
    return total;
  }

  private warnUnpriced(name: string, model: string | null): void {
    const key = model ?? '';
    if (this.unpriced.has(key)) return;
    this.unpriced.add(key);
    this.warn(
      model === null
        ? `[parex] ${name}: the agent did not name its model, so its tokens are counted but its cost is unknown (set model: in the workflow, or give the model's prices with --prices)`
        : `[parex] no price for model ${model} (job ${name}): its tokens are counted but its cost is unknown (add it with --prices FILE or prices: in the workflow; see docs/budgets.md)`,
    );
  }
}

const ORDER: readonly CostSource[] = ['reported', 'estimated', 'unknown'];

function worse(a: CostSource, b: CostSource): CostSource {
  return ORDER[Math.max(ORDER.indexOf(a), ORDER.indexOf(b))] ?? 'unknown';
}
