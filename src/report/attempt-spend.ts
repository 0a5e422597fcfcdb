// What a job spent over all its attempts: each completion line carries one attempt's tokens and
// cost (docs/manifest.md), so a job retried after spending has several to add up.
import type { EndEntry } from '../journal/entries.js';

/** The spend fields of a completion line that add up over attempts. */
export const SPEND_NUMBERS = [
  'input_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cost_usd',
] as const;

const SOURCES = ['reported', 'estimated', 'unknown'];

/** Sums the spend fields of a job's completion lines into one record shaped like a line's
 * (numbers added, null when no line had one; cost_source the least certain one). */
export class AttemptSpend {
  private readonly sums = new Map<string, Record<string, unknown>>();

  /** Adds one completion line. */
  add(entry: EndEntry): void {
    const line = entry as unknown as Record<string, unknown>;
    const sum = this.sums.get(entry.phase) ?? {};
    for (const key of SPEND_NUMBERS) {
      if (typeof line[key] === 'number') sum[key] = ((sum[key] as number) ?? 0) + line[key];
    }
    if (typeof line.cost_source === 'string') {
      const before = SOURCES.indexOf(String(sum.cost_source ?? 'reported'));
      const now = SOURCES.indexOf(line.cost_source);
      sum.cost_source = SOURCES[Math.max(before, now)] ?? line.cost_source;
      // An attempt whose cost is unknown leaves the known part of the sum standing.
    }
    if (typeof line.budget_phase === 'string') sum.budget_phase = line.budget_phase;
    this.sums.set(entry.phase, sum);
  }

  /** The summed fields of a job (its latest line's when it had one attempt). */
  of(name: string): Record<string, unknown> {
    return this.sums.get(name) ?? {};
  }
}
