// The summary printed when a group ends: every job's outcome, duration and log, then the speedup.
import type { GroupResult, SpeedupFigures } from '../model.js';
import {
  alignColumns,
  criticalPathText,
  displayPath,
  efficiencyText,
  formatDuration,
} from './format.js';
import { describeOutcome } from './outcome-words.js';
import { workspaceLines } from './workspace-lines.js';

/** Groups with more jobs than this get a short summary: only the jobs that did not succeed. */
export const SUMMARY_MAX_ROWS = 40;
/** The failed jobs named on the "failed:" line at most. */
const MAX_NAMED_FAILURES = 20;

/** The end-of-run summary as lines of text; every job up to `maxRows` jobs, else the others. */
export function formatSummary(group: GroupResult, maxRows = SUMMARY_MAX_ROWS): string[] {
  const rows = [['JOB', 'OUTCOME', 'TIME', 'LOG']];
  const failed = group.results.filter((result) => result.outcome !== 'success');
  const short = group.results.length + group.notStarted.length > maxRows;
  const shown = short ? failed.slice(0, maxRows) : group.results;
  for (const result of shown) {
    const ran = result.pid !== null;
    rows.push([
      result.name,
      describeOutcome(result),
      ran ? formatDuration(result.durationMs) : '-',
      ran ? displayPath(result.logPath) : '-',
    ]);
  }
  const notStarted = group.notStarted.slice(0, Math.max(0, maxRows - shown.length));
  const why = group.haltedBy === null ? 'run cancelled' : `${group.haltedBy.reason}`;
  for (const name of notStarted) rows.push([name, `NOT STARTED (${why})`, '-', '-']);
  const { speedup } = group;
  const hidden = group.results.length - shown.length + group.notStarted.length - notStarted.length;
  const lines = [
    `parex: summary of run ${group.runId}${labels(group)}`,
    ...alignColumns(rows).map((row) => `  ${row}`),
    ...(hidden === 0
      ? []
      : [
          `  ... ${hidden} more job${hidden === 1 ? '' : 's'} (${group.results.length - failed.length} succeeded): 'parex status ${displayPath(group.logDir)}' lists every job`,
        ]),
    `  ${figuresLine(speedup)}`,
    ...(speedup.criticalPath.length === 0 ? [] : [`  critical path ${criticalPathText(speedup)}`]),
  ];
  if (failed.length > 0) {
    const list = failed
      .slice(0, MAX_NAMED_FAILURES)
      .map(
        (result) =>
          `${result.name} (${result.exitCode === null ? result.outcome : `exit ${result.exitCode}`})`,
      )
      .join(', ');
    const more = failed.length > MAX_NAMED_FAILURES ? ', ...' : '';
    lines.push(`  failed: ${failed.length} of ${group.results.length}: ${list}${more}`);
  }
  if (group.cancelledBy !== null) lines.push(`  cancelled by ${group.cancelledBy}`);
  if (group.workspace !== undefined) lines.push(...workspaceLines(group.runId, group.workspace));
  if (group.haltedBy !== null) {
    const { job, outcome } = group.haltedBy;
    const stopped = group.results.filter((result) => result.outcome === 'cancelled').length;
    lines.push(
      `  stopped by --fail-fast at ${job} (${outcome}): ${stopped} running job${stopped === 1 ? '' : 's'} stopped, ${group.notStarted.length} not started`,
    );
  }
  lines.push(`  manifest: ${displayPath(group.manifestPath)}`);
  return lines;
}

function labels(group: GroupResult): string {
  const parts = [
    group.feature === null ? null : `feature ${group.feature}`,
    group.group === null ? null : `group ${group.group}`,
  ].filter((part) => part !== null);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/** Wall time, sum, speedup and efficiency on one line, as the summary and status print them. */
export function figuresLine(figures: SpeedupFigures): string {
  return `wall time ${formatDuration(figures.wallMs)}, sum of job times ${formatDuration(figures.sumMs)}, speedup ${figures.speedup.toFixed(2)}x, efficiency ${efficiencyText(figures)}`;
}
