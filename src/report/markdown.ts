// The report as Markdown: figures, stages, the critical path, every job, and the failures
// with the last lines of their logs.
import type { RunReport } from './analysis.js';
import { criticalPathText, efficiencyText, formatDuration } from './format.js';
import type { JobView } from './run-view.js';
import { spendMarkdown } from './spend-report.js';
import { formatTotals } from './tokens.js';

/** What the report is about, beyond the jobs themselves. */
export interface ReportContext {
  readonly title: string;
  readonly logDir: string;
  /** The last lines of each failed job's log. */
  readonly tails: Readonly<Record<string, readonly string[]>>;
  /** The run's spend against its budget, in words (from spend.json); absent without accounting. */
  readonly budget?: string | null;
}

/** The report as Markdown text. */
export function formatMarkdown(report: RunReport, context: ReportContext, runList = ''): string {
  const lines = [
    `# ${context.title}`,
    '',
    `Log directory: \`${context.logDir}\``,
    '',
    ...(runList === '' ? [] : [runList]),
    '| figure | value |',
    '|---|---|',
    `| wall time | ${formatDuration(report.wallMs)} |`,
    `| sum of job times | ${formatDuration(report.sumMs)} |`,
    `| speedup | ${report.speedup.toFixed(2)}x |`,
    `| efficiency | ${efficiencyText(report.figures)} |`,
    `| critical path | ${criticalPathText(report.figures)} |`,
    `| slowest job | ${report.slowest ?? '-'} |`,
    `| jobs | ${report.jobs.length}, ${report.failures.length} not successful |`,
    ...(report.tokens === null ? [] : [`| tokens | ${formatTotals(report.tokens)} |`]),
    ...(report.costUsd === null ? [] : [`| cost | $${report.costUsd.toFixed(4)} |`]),
    '',
    '## Stages',
    '',
    '| stage | jobs | wall | sum | speedup | efficiency | slowest |',
    '|---|---|---|---|---|---|---|',
    ...report.stages.map(
      (stage) =>
        `| ${stage.label} | ${stage.jobs.join(', ')} | ${formatDuration(stage.wallMs)} | ${formatDuration(stage.sumMs)} | ${stage.speedup.toFixed(2)}x | ${efficiencyText(stage)} | ${stage.slowest ?? '-'} |`,
    ),
    '',
    '## Jobs',
    '',
    '| job | state | exit | starts at | duration | attempts | tokens | cost |',
    '|---|---|---|---|---|---|---|---|',
    ...report.jobs.map((job) => jobRow(job, report.startedAt)),
    ...spendMarkdown(report.jobs, context.budget ?? null),
  ];
  const conflicts = report.jobs.flatMap((job) =>
    job.conflicts.map(
      (conflict) => `| ${job.name} | ${conflict.job} | ${conflict.files.join(', ')} |`,
    ),
  );
  if (conflicts.length > 0) {
    lines.push(
      '',
      '## Conflicts',
      '',
      '| job | conflicts with | files |',
      '|---|---|---|',
      ...conflicts,
    );
  }
  const judged = report.jobs.filter((job) => job.candidates.length > 0);
  if (judged.length > 0) {
    lines.push(
      '',
      '## Candidates',
      '',
      '| phase | candidate | outcome | passed | score | diff lines | judge log |',
      '|---|---|---|---|---|---|---|',
    );
    for (const job of judged) {
      for (const c of job.candidates) {
        const name = c.winner ? `**${c.job}** (winner)` : c.job;
        lines.push(
          `| ${job.name} | ${name} | ${c.outcome} | ${c.passed ? 'yes' : 'no'} | ${c.score ?? '-'} | ${c.diffLines} | ${c.judgeLog ?? '-'} |`,
        );
      }
    }
  }
  if (report.failures.length > 0) {
    lines.push('', '## Failures');
    for (const job of report.failures) {
      lines.push(
        '',
        `### ${job.name}: ${job.state}${job.exitCode === null ? '' : `, exit ${job.exitCode}`}`,
        '',
      );
      if (job.reason !== null) lines.push(job.reason, '');
      const tail = context.tails[job.name] ?? [];
      const fence = fenceFor(tail);
      lines.push(...(tail.length === 0 ? ['(no output)'] : [fence, ...tail, fence]));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A code fence longer than any run of backticks in the text, so that none of it closes the fence. */
export function fenceFor(lines: readonly string[]): string {
  let longest = 0;
  for (const line of lines) {
    for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  }
  return '`'.repeat(Math.max(3, longest + 1));
}

function jobRow(job: JobView, start: Date | null): string {
  const offset =
    job.startedAt === null || start === null
      ? '-'
      : `+${formatDuration(job.startedAt.getTime() - start.getTime())}`;
  const tokens = job.inputTokens === null ? '-' : `${job.inputTokens} / ${job.outputTokens ?? 0}`;
  const estimated = job.costSource === 'estimated' ? ' (estimated)' : '';
  const cost = job.costUsd === null ? '-' : `$${job.costUsd.toFixed(4)}${estimated}`;
  const duration = job.durationMs === null ? '-' : formatDuration(job.durationMs);
  return `| ${job.name} | ${job.state} | ${job.exitCode ?? '-'} | ${offset} | ${duration} | ${job.attempts} | ${tokens} | ${cost} |`;
}
