// The run's spend report: every agent job's spend, summed per agent and per phase (a phase's
// candidates, judge and retries in it), against the run's and each phase's budget.
import type { Spend } from '../model/outcome.js';
import type { PhaseSpend, SpendReport } from '../model/spend.js';
import { addSpend, NO_SPEND } from './accounting.js';
import type { BudgetLine } from './budget.js';

/** What the report is made of. */
export interface ReportParts {
  /** Every job that reported usage, with what it spent over all its attempts. */
  readonly jobs: readonly [string, Spend][];
  readonly run: Spend;
  readonly agentOf: (name: string) => string;
  readonly phaseOf: (name: string) => string;
  readonly runLine: BudgetLine;
  readonly phaseLines: ReadonlyMap<string, BudgetLine>;
  readonly pricesAsOf: string;
}

/** The spend report of a run. */
export function spendReportOf(parts: ReportParts): SpendReport {
  const byAgent: Record<string, Spend> = {};
  const byPhase: Record<string, PhaseSpend> = {};
  for (const [name, spend] of parts.jobs) {
    const agent = parts.agentOf(name);
    byAgent[agent] = addSpend(byAgent[agent] ?? NO_SPEND, spend);
    const phase = parts.phaseOf(name);
    const limits = parts.phaseLines.get(phase)?.limits;
    const before = byPhase[phase];
    byPhase[phase] = {
      spend: addSpend(before?.spend ?? NO_SPEND, spend),
      jobs: (before?.jobs ?? 0) + 1,
      maxCostUsd: limits?.costUsd ?? null,
      maxTokens: limits?.tokens ?? null,
    };
  }
  const lines = [parts.runLine, ...parts.phaseLines.values()];
  return {
    jobs: Object.fromEntries(parts.jobs),
    byAgent,
    byPhase,
    run: parts.run,
    maxCostUsd: parts.runLine.limits.costUsd,
    maxTokens: parts.runLine.limits.tokens,
    reached: lines.find((line) => line.reached)?.reason() ?? null,
    pricesAsOf: parts.pricesAsOf,
  };
}
