// One budget (the run's, or a phase's): a cost and a token limit, a warning line at 80%, and
// the moment the limit is reached, after which no new agent job of its scope starts.
import type { GroupEvent } from '../model/events.js';
import type { Spend } from '../model/outcome.js';
import { formatCost, formatTokens } from '../report/budget-words.js';

/** A budget's limits; null means none. */
export interface Limits {
  readonly costUsd: number | null;
  readonly tokens: number | null;
}

/** The share of a limit at which the warning line is printed. */
export const WARNING_SHARE = 0.8;

type BudgetEvent = Extract<GroupEvent, { type: 'budget' }>;
type LimitName = BudgetEvent['limit'];

/** True when a budget has at least one limit. */
export function hasLimits(limits: Limits): boolean {
  return limits.costUsd !== null || limits.tokens !== null;
}

/** A budget's limits and what it has crossed so far. */
export class BudgetLine {
  private readonly warned = new Set<LimitName>();
  private reachedBy: BudgetEvent | null = null;

  constructor(
    /** 'run', or the phase's id. */
    readonly scope: string,
    readonly limits: Limits,
  ) {}

  /** The events of the lines `spend` newly crosses (each warning once, the limit once). */
  check(spend: Spend): BudgetEvent[] {
    const events: BudgetEvent[] = [];
    for (const [limit, max, spent] of this.figures(spend)) {
      if (this.reachedBy === null && spent >= max) {
        this.reachedBy = {
          type: 'budget',
          at: new Date(),
          level: 'reached',
          scope: this.scope,
          limit,
          max,
          spent,
        };
        events.push(this.reachedBy);
      } else if (!this.warned.has(limit) && spent >= max * WARNING_SHARE && spent < max) {
        this.warned.add(limit);
        events.push({
          type: 'budget',
          at: new Date(),
          level: 'warning',
          scope: this.scope,
          limit,
          max,
          spent,
        });
      }
    }
    return events;
  }

  /** True once a limit has been reached. */
  get reached(): boolean {
    return this.reachedBy !== null;
  }

  /** Why an agent job of this scope is stopped or not started, once a limit is reached. */
  reason(): string {
    const event = this.reachedBy;
    if (event === null) return '';
    return `${this.what()} ${describe(event.limit, event.max)} was reached (${describe(event.limit, event.spent)} spent)`;
  }

  /** What is left of each limit (Infinity for none). */
  left(spend: Spend): { costUsd: number; tokens: number } {
    return {
      costUsd:
        this.limits.costUsd === null
          ? Number.POSITIVE_INFINITY
          : this.limits.costUsd - (spend.cost_usd ?? 0),
      tokens:
        this.limits.tokens === null ? Number.POSITIVE_INFINITY : this.limits.tokens - spend.tokens,
    };
  }

  /** "the run's budget of", "phase p2's budget of". */
  what(): string {
    return this.scope === 'run' ? "the run's budget of" : `phase ${this.scope}'s budget of`;
  }

  private figures(spend: Spend): [LimitName, number, number][] {
    const figures: [LimitName, number, number][] = [];
    if (this.limits.costUsd !== null)
      figures.push(['cost_usd', this.limits.costUsd, spend.cost_usd ?? 0]);
    if (this.limits.tokens !== null) figures.push(['tokens', this.limits.tokens, spend.tokens]);
    return figures;
  }
}

/** "$1.00", "50.0k tokens". */
export function describe(limit: LimitName, value: number): string {
  return limit === 'cost_usd' ? formatCost(value) : `${formatTokens(value)} tokens`;
}
