// The summary printed when a group ends: every job's outcome, duration and log, then the speedup.
import type { Spend } from '../model/outcome.js';
import type { GroupResult, JobResult, SpeedupFigures } from '../model/result.js';
import {
  alignColumns,
  criticalPathText,
  displayPath,
  efficiencyText,
  formatDuration,
  shortCommand,
} from './format.js';
import { describeOutcome } from './outcome-words.js';
import { figuresOf, spendCell, spendLines } from './spend-summary.js';
import { formatTotals, sumTokens } from './tokens.js';
import { workerWords } from './worker-words.js';
import { workspaceLines } from './workspace-lines.js';

/** Groups with more jobs than this get a short summary: only the jobs that did not succeed. */
export const SUMMARY_MAX_ROWS = 40;
/** The failed jobs named on the "failed:" line at most. */
const MAX_NAMED_FAILURES = 20;

/** The widest command shown beside a job's name, in columns. */
const COMMAND_COLUMNS = 32;

/** The end-of-run summary as lines of text; every job up to `maxRows` jobs, else the others. */
export function formatSummary(group: GroupResult, maxRows = SUMMARY_MAX_ROWS): string[] {
  const jobSpend = group.spend?.jobs ?? {};
  const spent = Object.keys(jobSpend).length > 0;
  const failed = group.results.filter((result) => result.outcome !== 'success');
  // Successes a compact run did not keep are counted, never listed.
  const omitted = group.omitted ?? 0;
  const short = group.results.length + omitted + group.notStarted.length > maxRows;
  const shown = short ? failed.slice(0, maxRows) : group.results;
  const notStarted = group.notStarted.slice(0, Math.max(0, maxRows - shown.length));
  // A pooled run's jobs say where they ran; a local run's table has no such column.
  const pooled = shown.some((result) => workerWords(result.details.worker) !== null);
  const extra = [...(spent ? ['SPEND'] : []), ...(pooled ? ['WORKER'] : [])];
  const rows = [['JOB', 'COMMAND', 'OUTCOME', 'TIME', ...extra, 'LOG']];
  for (const result of shown) {
    const ran = result.pid !== null;
    rows.push([
      result.name,
      shortCommand(result.command, COMMAND_COLUMNS),
      describeOutcome(result),
      ran ? formatDuration(result.durationMs) : '-',
      ...(spent ? [spendCell(spendOf(result.name, jobSpend))] : []),
      ...(pooled ? [workerWords(result.details.worker) ?? '-'] : []),
      ran ? displayPath(result.logPath) : '-',
    ]);
  }
  const why = group.haltedBy === null ? 'run cancelled' : `${group.haltedBy.reason}`;
  for (const name of notStarted) {
    rows.push([name, '', `NOT STARTED (${why})`, '-', ...extra.map(() => '-'), '-']);
  }
  const { speedup } = group;
  const hidden =
    group.results.length + omitted - shown.length + group.notStarted.length - notStarted.length;
  const succeeded = group.results.length - failed.length + omitted;
  const status = `'parex status ${displayPath(group.logDir)}' lists every job`;
  const lines = [`parex: summary of run ${group.runId}${labels(group)}`];
  if (rows.length > 1) lines.push(...alignColumns(rows).map((row) => `  ${row}`));
  if (rows.length === 1) {
    lines.push(`  ${succeeded} job${succeeded === 1 ? '' : 's'}, all succeeded: ${status}`);
  } else if (hidden > 0) {
    lines.push(
      `  ... ${hidden} more job${hidden === 1 ? '' : 's'} (${succeeded} succeeded): ${status}`,
    );
  }
  lines.push(
    `  ${figuresLine(speedup)}`,
    ...(speedup.criticalPath.length === 0 ? [] : [`  critical path ${criticalPathText(speedup)}`]),
    ...spendLines(group),
    ...countLines(group),
  );
  const totals = sumTokens(group.results.map((result) => result.details));
  if (totals !== null) lines.push(`  tokens: ${formatTotals(totals)}`);
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

/** "failed: 2 of 40: ...", then the cancelled, skipped and never-started jobs, each counted apart. */
function countLines(group: GroupResult): string[] {
  const total = group.results.length + (group.omitted ?? 0) + group.notStarted.length;
  const kinds: [string, readonly JobResult[]][] = [
    [
      'failed',
      group.results.filter((r) => !['success', 'cancelled', 'skipped'].includes(r.outcome)),
    ],
    ['cancelled', group.results.filter((r) => r.outcome === 'cancelled')],
    ['skipped', group.results.filter((r) => r.outcome === 'skipped')],
  ];
  const lines: string[] = [];
  for (const [kind, results] of kinds) {
    if (results.length === 0) continue;
    const list = results
      .slice(0, MAX_NAMED_FAILURES)
      .map((result) =>
        kind === 'failed'
          ? `${result.name} (${result.exitCode === null ? result.outcome : `exit ${result.exitCode}`})`
          : result.name,
      )
      .join(', ');
    const more = results.length > MAX_NAMED_FAILURES ? ', ...' : '';
    lines.push(`  ${kind}: ${results.length} of ${total}: ${list}${more}`);
  }
  if (group.notStarted.length > 0)
    lines.push(`  not started: ${group.notStarted.length} of ${total}`);
  return lines;
}

function labels(group: GroupResult): string {
  const parts = [
    group.feature === null ? null : `feature ${group.feature}`,
    group.group === null ? null : `group ${group.group}`,
  ].filter((part) => part !== null);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

function spendOf(name: string, jobs: Readonly<Record<string, Spend>>) {
  const spend = jobs[name];
  return spend === undefined ? null : figuresOf(spend);
}

/** Wall time, sum, speedup and efficiency on one line, as the summary and status print them. */
export function figuresLine(figures: SpeedupFigures): string {
  return `wall time ${formatDuration(figures.wallMs)}, sum of job times ${formatDuration(figures.sumMs)}, speedup ${figures.speedup.toFixed(2)}x, efficiency ${efficiencyText(figures)}`;
}
