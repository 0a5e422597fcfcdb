// Spend in the end-of-run summary: a cell per job, then the run's total by agent, with the
// budget line. Read from each job's completion details (cost_usd, cost_source, tokens).
import type { Spend } from '../model/outcome.js';
import type { GroupResult } from '../model/result.js';
import type { SpendReport } from '../model/spend.js';
import { formatCost, formatTokens } from './budget-words.js';

/** A job's spend as its completion details give it, or null when it spent nothing known. */
export interface JobSpendFigures {
  readonly costUsd: number | null;
  readonly source: string;
  readonly tokens: number;
  readonly agent: string | null;
}

/** The spend figures in a job's (or a completion line's) details, or null without any. */
export function spendOf(details: Readonly<Record<string, unknown>>): JobSpendFigures | null {
  if (typeof details.cost_source !== 'string') return null;
  const count = (key: string) => (typeof details[key] === 'number' ? (details[key] as number) : 0);
  return {
    costUsd: typeof details.cost_usd === 'number' ? details.cost_usd : null,
    source: details.cost_source,
    tokens: count('input_tokens') + count('output_tokens'),
    agent: typeof details.agent === 'string' ? details.agent : null,
  };
}

/** After a cost: estimated from the price table, or only partly known. */
const MARKS: Readonly<Record<string, string>> = { estimated: ' est.', unknown: ' + unknown' };

/** "$0.0450 est., 11.0k tok", "? (unknown model), 4.0k tok", or "-". */
export function spendCell(figures: JobSpendFigures | null): string {
  if (figures === null) return '-';
  const cost =
    figures.costUsd === null
      ? '? (unknown model)'
      : `${formatCost(figures.costUsd)}${MARKS[figures.source] ?? ''}`;
  return `${cost}, ${formatTokens(figures.tokens)} tok`;
}

/** The spend of several jobs together. */
export interface SpendSum {
  readonly costUsd: number | null;
  readonly tokens: number;
  readonly jobs: number;
  /** Some part was estimated from the price table. */
  readonly estimated: boolean;
  /** Some part could not be priced. */
  readonly unknown: boolean;
}

/** Sums figures by a key (agent, phase): cost of the priced ones, tokens of all, job count. */
export function sumBy(
  figures: readonly (JobSpendFigures & { readonly key: string })[],
): Map<string, SpendSum> {
  const sums = new Map<string, SpendSum>();
  for (const figure of figures) {
    const sum = sums.get(figure.key) ?? {
      costUsd: null,
      tokens: 0,
      jobs: 0,
      estimated: false,
      unknown: false,
    };
    sums.set(figure.key, {
      costUsd: figure.costUsd === null ? sum.costUsd : (sum.costUsd ?? 0) + figure.costUsd,
      tokens: sum.tokens + figure.tokens,
      jobs: sum.jobs + 1,
      estimated: sum.estimated || figure.source === 'estimated',
      unknown: sum.unknown || figure.source === 'unknown',
    });
  }
  return sums;
}

/** A Spend as summary figures. */
export function figuresOf(spend: Spend): JobSpendFigures {
  return { costUsd: spend.cost_usd, source: spend.cost_source, tokens: spend.tokens, agent: null };
}

/** The summary's spend lines: by agent, then the run's total against its budget; none when no
 * agent ran and no budget was set (a run of commands has nothing to say about money). */
export function spendLines(group: GroupResult): string[] {
  const report = group.spend ?? null;
  if (report === null) return [];
  const agentsRan =
    Object.keys(report.jobs).length > 0 ||
    // A workflow's command phases carry agent "command", which spends nothing.
    group.results.some(
      (result) => typeof result.details.agent === 'string' && result.details.agent !== 'command',
    );
  if (!agentsRan && report.maxCostUsd === null && report.maxTokens === null) return [];
  const byAgent = Object.entries(report.byAgent).map(([agent, spend]) => {
    const jobs = Object.keys(report.jobs).filter((name) =>
      group.results.some((result) => result.name === name && result.details.agent === agent),
    ).length;
    return `${agent} ${spendCell(figuresOf(spend)).replace(', ', ` (${jobs} job${jobs === 1 ? '' : 's'}, `)})`;
  });
  const lines = byAgent.length === 0 ? [] : [`  spend by agent: ${byAgent.join('; ')}`];
  const byPhase = phaseSpendWords(report.byPhase ?? {});
  if (byPhase !== null) lines.push(`  spend by phase: ${byPhase}`);
  lines.push(`  ${budgetLine(report)}`);
  return lines;
}

/** "research $0.0400 (3 jobs, 12.0k tok) of its $1.00 budget; ...", or null when every phase
 * is one job without a budget of its own (the per-job column says it all). */
function phaseSpendWords(phases: NonNullable<SpendReport['byPhase']>): string | null {
  const entries = Object.entries(phases);
  if (!entries.some(([, phase]) => phase.jobs > 1 || hasBudget(phase))) return null;
  return entries
    .map(([name, phase]) => {
      const cell = spendCell(figuresOf(phase.spend)).replace(
        ', ',
        ` (${phase.jobs} job${phase.jobs === 1 ? '' : 's'}, `,
      );
      const limits = [
        phase.maxCostUsd === null ? null : formatCost(phase.maxCostUsd),
        phase.maxTokens === null ? null : `${formatTokens(phase.maxTokens)} tokens`,
      ].filter((limit) => limit !== null);
      return `${name} ${cell})${limits.length === 0 ? '' : ` of its ${limits.join(' / ')} budget`}`;
    })
    .join('; ');
}

function hasBudget(phase: NonNullable<SpendReport['byPhase']>[string]): boolean {
  return phase.maxCostUsd !== null || phase.maxTokens !== null;
}

/** "spent $0.18 (estimated), 44.0k tokens of a $0.15 budget: reached (...)". */
export function budgetLine(report: NonNullable<GroupResult['spend']>): string {
  const run = report.run;
  const source =
    run.cost_source === 'reported'
      ? ''
      : ` (${run.cost_source === 'estimated' ? 'estimated' : 'partly unknown'})`;
  const limits = [
    report.maxCostUsd === null ? null : formatCost(report.maxCostUsd),
    report.maxTokens === null ? null : `${formatTokens(report.maxTokens)} tokens`,
  ].filter((limit) => limit !== null);
  const budget =
    limits.length === 0
      ? 'no budget set'
      : `budget ${limits.join(' / ')}: ${report.reached === null ? 'not reached' : `reached (${report.reached})`}`;
  return `spent ${formatCost(run.cost_usd)}${source}, ${formatTokens(run.tokens)} tokens; ${budget}; prices of ${report.pricesAsOf}`;
}
