// The summary printed when a group ends: every job's outcome, duration and log, then the speedup.
import type { GroupResult } from '../model.js';
import { alignColumns, displayPath, formatDuration } from './format.js';
import { describeOutcome } from './outcome-words.js';

/** The end-of-run summary as lines of text. */
export function formatSummary(group: GroupResult): string[] {
  const rows = [['JOB', 'OUTCOME', 'TIME', 'LOG']];
  for (const result of group.results) {
    const ran = result.pid !== null;
    rows.push([
      result.name,
      describeOutcome(result),
      ran ? formatDuration(result.durationMs) : '-',
      ran ? displayPath(result.logPath) : '-',
    ]);
  }
  for (const name of group.notStarted) rows.push([name, 'NOT STARTED (run cancelled)', '-', '-']);
  const { speedup } = group;
  const lines = [
    `parex: summary of run ${group.runId}${labels(group)}`,
    ...alignColumns(rows).map((row) => `  ${row}`),
    `  wall time ${formatDuration(speedup.wallMs)}, sum of job times ${formatDuration(speedup.sumMs)}, speedup ${speedup.speedup.toFixed(2)}x`,
  ];
  const failed = group.results.filter((result) => result.outcome !== 'success');
  if (failed.length > 0) {
    const list = failed
      .map(
        (result) =>
          `${result.name} (${result.exitCode === null ? result.outcome : `exit ${result.exitCode}`})`,
      )
      .join(', ');
    lines.push(`  failed: ${failed.length} of ${group.results.length}: ${list}`);
  }
  if (group.cancelledBy !== null) lines.push(`  cancelled by ${group.cancelledBy}`);
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
