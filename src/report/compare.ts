// Several runs of one log directory: the list that heads a report, and the side-by-side table
// of `parex report --all`.
import type { RunReport } from './analysis.js';
import { criticalPathText, efficiencyText, formatDuration } from './format.js';

/** A run and its report. */
export interface RunEntry {
  readonly runId: string;
  readonly report: RunReport;
}

/** Markdown lines listing the runs, the one reported marked. */
export function formatRunList(runs: readonly RunEntry[], shown: string): string[] {
  return [
    `## Runs in this directory (${runs.length}; this report: ${shown}, \`--run ID\` for another, \`--all\` side by side)`,
    '',
    '| run | started | jobs | not successful | wall | speedup |',
    '|---|---|---|---|---|---|',
    ...runs.map(
      ({ runId, report }) =>
        `| ${runId === shown ? `**${runId}**` : runId} | ${report.startedAt?.toISOString() ?? '-'} | ${report.jobs.length} | ${report.failures.length} | ${formatDuration(report.wallMs)} | ${report.speedup.toFixed(2)}x |`,
    ),
    '',
  ];
}

/** The runs side by side: one column per run, one row per figure. */
export function formatSideBySide(runs: readonly RunEntry[], title: string): string {
  const row = (label: string, value: (report: RunReport) => string) =>
    `| ${label} | ${runs.map(({ report }) => value(report)).join(' | ')} |`;
  return `${[
    `# ${title}`,
    '',
    `| figure | ${runs.map((run) => run.runId).join(' | ')} |`,
    `|---|${runs.map(() => '---|').join('')}`,
    row('started', (report) => report.startedAt?.toISOString() ?? '-'),
    row('jobs', (report) => String(report.jobs.length)),
    row('not successful', (report) => String(report.failures.length)),
    row('wall time', (report) => formatDuration(report.wallMs)),
    row('sum of job times', (report) => formatDuration(report.sumMs)),
    row('speedup', (report) => `${report.speedup.toFixed(2)}x`),
    row('efficiency', (report) => efficiencyText(report.figures)),
    row('critical path', (report) => criticalPathText(report.figures)),
    row('slowest job', (report) => report.slowest ?? '-'),
  ].join('\n')}\n`;
}
