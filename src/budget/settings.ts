// A run's budget settings from what the workflow declares (`budget:`, `limits:`, `prices:`,
// each phase's `budget:`) and the command line (--max-cost, --max-tokens, --budget-soft,
// --limit AGENT=N, --prices FILE), which wins. Every value is checked here, before anything runs.
import { UsageError } from '../errors.js';
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

/** The agents a cap may name. */
export const CAPPED_AGENTS = ['codex', 'claude', 'gemini'] as const;

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

/** Parses --limit AGENT=N values. */
export function parseLimitFlags(values: readonly string[]): Map<string, number> {
  const caps = new Map<string, number>();
  for (const value of values) {
    const match = /^\s*([a-z]+)\s*=\s*(\d+)\s*$/.exec(value);
    const agent = match?.[1] ?? '';
    const cap = Number(match?.[2]);
    if (match === null || !(CAPPED_AGENTS as readonly string[]).includes(agent) || cap < 1) {
      throw new UsageError(
        `--limit ${JSON.stringify(value)} is not AGENT=N with a known agent and N of 1 or more`,
        `it caps how many jobs of one agent (${CAPPED_AGENTS.join(', ')}) run at once`,
        'write it as --limit claude=2 (repeat the flag for more agents)',
      );
    }
    caps.set(agent, cap);
  }
  return caps;
}

/** Checks --max-cost: a positive number of USD. */
export function parseMaxCost(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.trim().replace(/^\$/, ''));
  if (text.trim() !== '' && Number.isFinite(value) && value > 0) return value;
  throw new UsageError(
    `--max-cost must be a number of US dollars above 0; got ${JSON.stringify(text)}`,
    'it is the most the run may spend on agents',
    'e.g. --max-cost 5 or --max-cost 0.50',
  );
}

/** Checks --max-tokens: a whole number above 0. */
export function parseMaxTokens(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (/^\s*[1-9][0-9]*\s*$/.test(text)) return Number(text);
  throw new UsageError(
    `--max-tokens must be a whole number above 0; got ${JSON.stringify(text)}`,
    'it is the most input plus output tokens the run may use',
    'e.g. --max-tokens 2000000',
  );
}
