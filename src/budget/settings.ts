// A run's budget settings from what the workflow declares (`budget:`, `limits:`, `prices:`,
// each phase's `budget:`) and the command line (--max-cost, --max-tokens, --budget-soft,
// --limit AGENT=N, --prices FILE), which wins. Every value is checked here, before anything runs.
import { parseLimitFlags } from '../options/budget-flags.js';
import type { Limits } from './budget.js';
import { type PriceTable, readPricesFile, shippedPrices, withOverrides } from './prices.js';

/** What a run's budgets and limits are. */
export interface BudgetSettings {
  readonly prices: PriceTable;
  /** The run's budget (--max-cost, --max-tokens, `budget:`). */
  readonly run: Limits;
  /** Each phase's own budget (a phase's `budget:`). */
  readonly phases: ReadonlyMap<string, Limits>;
  /** Start a phase even when its estimated need exceeds what is left (--budget-soft). */
  readonly soft: boolean;
  /** At most this many jobs of an agent at once (`limits:`, --limit). */
  readonly caps: ReadonlyMap<string, number>;
}

/** The budget flags of the command line; absent ones leave the workflow's setting. */
export interface BudgetFlags {
  readonly maxCostUsd?: number | undefined;
  readonly maxTokens?: number | undefined;
  readonly soft?: boolean | undefined;
  /** AGENT=N strings. */
  readonly limits?: readonly string[] | undefined;
  readonly pricesFile?: string | undefined;
}

/** What a workflow declares about spending. */
export interface DeclaredBudget {
  readonly budget?: {
    readonly cost_usd?: number | undefined;
    readonly tokens?: number | undefined;
  };
  readonly limits?: Readonly<Record<string, number>>;
  readonly prices?: Parameters<typeof withOverrides>[1];
  readonly phases: readonly {
    readonly id: string;
    readonly budget?:
      | { readonly cost_usd?: number | undefined; readonly tokens?: number | undefined }
      | undefined;
  }[];
}

/** The settings of a run; throws a UsageError for a bad flag or price file. */
export function budgetSettings(declared: DeclaredBudget, flags: BudgetFlags): BudgetSettings {
  let prices: PriceTable = shippedPrices();
  if (declared.prices !== undefined) prices = withOverrides(prices, declared.prices);
  if (flags.pricesFile !== undefined)
    prices = withOverrides(prices, readPricesFile(flags.pricesFile));
  const run: Limits = {
    costUsd: flags.maxCostUsd ?? declared.budget?.cost_usd ?? null,
    tokens: flags.maxTokens ?? declared.budget?.tokens ?? null,
  };
  const phases = new Map<string, Limits>();
  for (const phase of declared.phases) {
    if (phase.budget === undefined) continue;
    phases.set(phase.id, {
      costUsd: phase.budget.cost_usd ?? null,
      tokens: phase.budget.tokens ?? null,
    });
  }
  const caps = new Map(Object.entries(declared.limits ?? {}));
  for (const [agent, cap] of parseLimitFlags(flags.limits ?? [])) caps.set(agent, cap);
  return { prices, run, phases, soft: flags.soft === true, caps };
}
