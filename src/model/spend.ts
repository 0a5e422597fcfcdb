// A run's and a phase's spend against their budgets.
import type { Spend } from './outcome.js';

/** A run's spend against its budget. */
export interface SpendReport {
  readonly run: Spend;
  /** The run's limits (--max-cost, --max-tokens, budget:); null for none. */
  readonly maxCostUsd: number | null;
  readonly maxTokens: number | null;
  /** Why a budget stopped agent jobs, if one did. */
  readonly reached: string | null;
  /** The date of the shipped price table the estimates used. */
  readonly pricesAsOf: string;
  /** What each agent job spent over all its attempts. */
  readonly jobs: Readonly<Record<string, Spend>>;
  /** What each agent's jobs spent together. */
  readonly byAgent: Readonly<Record<string, Spend>>;
  /** What each phase's agent jobs spent together (a phase's candidates, judge and retries all
   * count in it), with the phase's own budget. */
  readonly byPhase?: Readonly<Record<string, PhaseSpend>>;
}

/** One phase's spend against its own budget (`budget:` on the phase; null limits for none). */
export interface PhaseSpend {
  readonly spend: Spend;
  /** Its agent jobs that reported usage. */
  readonly jobs: number;
  readonly maxCostUsd: number | null;
  readonly maxTokens: number | null;
}
