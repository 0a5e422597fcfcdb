// The report's spend: per agent and per phase (from each job's completion line), and the run's
// budget line (from spend.json), in Markdown and HTML.
import { esc } from './html/markup.js';
import type { JobView } from './run-view.js';
import { spendCell, sumBy } from './spend-summary.js';

/** One row of a spend table: who, how many jobs, tokens and cost. */
interface SpendRow {
  readonly key: string;
  readonly jobs: number;
  readonly cell: string;
}

/** The spend rows by agent and by phase; empty when no job was accounted. */
export function spendTables(jobs: readonly JobView[]): { agents: SpendRow[]; phases: SpendRow[] } {
  const accounted = jobs.flatMap((job) => {
    if (job.costSource === null || job.costSource === undefined) return [];
    const tokens = (job.inputTokens ?? 0) + (job.outputTokens ?? 0);
    return [
      { job, figures: { costUsd: job.costUsd, source: job.costSource, tokens, agent: job.agent } },
    ];
  });
  const rows = (keyOf: (job: JobView) => string) =>
    [...sumBy(accounted.map(({ job, figures }) => ({ ...figures, key: keyOf(job) })))].map(
      ([key, sum]) => ({
        key,
        jobs: sum.jobs,
        cell: spendCell({
          costUsd: sum.costUsd,
          source: sum.unknown ? 'unknown' : sum.estimated ? 'estimated' : 'reported',
          tokens: sum.tokens,
          agent: null,
        }),
      }),
    );
  return { agents: rows((job) => job.agent ?? 'agent'), phases: rows((job) => job.name) };
}

/** The "## Spend" section of the Markdown report; none without accounted jobs. */
export function spendMarkdown(jobs: readonly JobView[], budget: string | null): string[] {
  const { agents, phases } = spendTables(jobs);
  if (agents.length === 0 && budget === null) return [];
  const table = (title: string, rows: SpendRow[]) => [
    `| ${title} | jobs | spend |`,
    '|---|---|---|',
    ...rows.map((row) => `| ${row.key} | ${row.jobs} | ${row.cell} |`),
  ];
  return [
    '',
    '## Spend',
    '',
    ...(budget === null ? [] : [budget, '']),
    ...table('agent', agents),
    '',
    ...table('phase', phases),
  ];
}

/** The spend block of the HTML report; empty without accounted jobs. */
export function spendHtml(jobs: readonly JobView[], budget: string | null): string {
  const { agents, phases } = spendTables(jobs);
  if (agents.length === 0 && budget === null) return '';
  const table = (title: string, rows: SpendRow[]) =>
    `<table><thead><tr><th>${title}</th><th class="num">jobs</th><th>spend</th></tr></thead><tbody>${rows
      .map(
        (row) =>
          `<tr><td>${esc(row.key)}</td><td class="num">${row.jobs}</td><td>${esc(row.cell)}</td></tr>`,
      )
      .join('')}</tbody></table>`;
  const line = budget === null ? '' : `<p data-budget>${esc(budget)}</p>`;
  return `<section class="block spend"><h2>Spend</h2>${line}${table('agent', agents)}${table('phase', phases)}</section>`;
}
