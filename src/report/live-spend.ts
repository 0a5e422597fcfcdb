// `parex status` while agents run: the manifest has no spend for a running job until it ends,
// so the figures of spend.json (rewritten as usage comes in) fill them in.
import type { Spend } from '../model/outcome.js';
import type { SpendReport } from '../model/spend.js';
import type { JobView } from './run-view.js';
import { budgetLine } from './spend-summary.js';

/** What spend.json says of one run (see src/budget/spend-file.ts). */
export interface LiveSpendFigures {
  readonly runId: string;
  readonly jobs: Readonly<Record<string, Spend>>;
  readonly report: SpendReport;
}

/** The running jobs of that run with their spend so far; the others as they are. */
export function withLiveSpend(jobs: readonly JobView[], live: LiveSpendFigures | null): JobView[] {
  if (live === null) return [...jobs];
  return jobs.map((job) => {
    const spend = live.jobs[job.name];
    if (job.state !== 'running' || job.runId !== live.runId || spend === undefined) return job;
    const { tokens: _total, cost_source: _source, ...fields } = spend;
    return {
      ...job,
      inputTokens: spend.input_tokens,
      outputTokens: spend.output_tokens,
      costUsd: spend.cost_usd,
      tokens: fields,
    };
  });
}

/** The status line of the run's spend against its budget. */
export function liveSpendLine(live: LiveSpendFigures): string {
  return `run ${live.runId}: ${budgetLine(live.report)}`;
}
