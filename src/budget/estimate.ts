// What a phase is expected to need before it starts: its declared expect_cost, else its jobs
// (candidates) times the mean spend of the agent jobs of earlier phases. A phase whose need
// exceeds what is left of a budget is not started (unless --budget-soft).
import type { Spend } from '../model/outcome.js';
import type { PlannedJob } from '../options/normalize.js';
import { formatCost, formatTokens } from '../report/budget-words.js';
import { type BudgetLine, describe } from './budget.js';

/** Phases already judged, and what the finished agent jobs of earlier phases spent. */
export class PhaseEstimates {
  private readonly judged = new Map<string, string | null>();
  private readonly finishedJobs: Spend[] = [];

  constructor(private readonly soft: boolean) {}

  /** Null when the phase of `job` may start; else why not. Each phase is judged once. */
  check(
    job: PlannedJob,
    phase: string,
    lines: readonly BudgetLine[],
    spentIn: (line: BudgetLine) => Spend,
  ): string | null {
    const known = this.judged.get(phase);
    if (known !== undefined) return this.soft ? null : known;
    const verdict = this.judge(job, phase, lines, spentIn);
    this.judged.set(phase, verdict);
    return verdict;
  }

  /** Why `phase` was not started, once it was judged not to fit (never with --budget-soft). */
  refusal(phase: string): string | null {
    return this.soft ? null : (this.judged.get(phase) ?? null);
  }

  /** An agent job of `phase` has ended, having spent `spend` (null: it reported nothing). */
  finished(_phase: string, spend: Spend | null): void {
    if (spend !== null) this.finishedJobs.push(spend);
  }

  private judge(
    job: PlannedJob,
    phase: string,
    lines: readonly BudgetLine[],
    spentIn: (line: BudgetLine) => Spend,
  ): string | null {
    const jobs = job.spending.phaseJobs ?? 1;
    const priced = this.finishedJobs.filter((spend) => spend.cost_usd !== null);
    const declared = job.spending.expectCostUsd ?? null;
    const meanCost =
      priced.length === 0
        ? null
        : priced.reduce((sum, spend) => sum + (spend.cost_usd ?? 0), 0) / priced.length;
    const meanTokens =
      this.finishedJobs.length === 0
        ? null
        : this.finishedJobs.reduce((sum, spend) => sum + spend.tokens, 0) /
          this.finishedJobs.length;
    const cost = declared ?? (meanCost === null ? null : jobs * meanCost);
    const tokens = meanTokens === null ? null : jobs * meanTokens;
    const basis = (mean: string) =>
      jobs === 1
        ? `the ${mean} mean of earlier phases`
        : `${jobs} jobs x the ${mean} mean of earlier phases`;
    for (const line of lines) {
      const left = line.left(spentIn(line));
      if (cost !== null && line.limits.costUsd !== null && cost > left.costUsd) {
        const why = declared !== null ? 'its expect_cost' : basis(formatCost(meanCost));
        return `phase ${phase} is expected to need ${formatCost(cost)} (${why}), more than the ${formatCost(Math.max(0, left.costUsd))} left of ${line.what()} ${describe('cost_usd', line.limits.costUsd)}`;
      }
      if (tokens !== null && line.limits.tokens !== null && tokens > left.tokens) {
        return `phase ${phase} is expected to need ${formatTokens(Math.round(tokens))} tokens (${basis(formatTokens(Math.round(meanTokens ?? 0)))}), more than the ${formatTokens(Math.max(0, left.tokens))} left of ${line.what()} ${describe('tokens', line.limits.tokens)}`;
      }
    }
    return null;
  }
}
