// The action of `parex runs`, loaded only when the command runs.
import { existsSync } from 'node:fs';
import path from 'node:path';

import type { Command } from 'commander';

import { UsageError } from '../../errors.js';
import { readHistory } from '../../journal/history.js';
import { DEFAULTS } from '../../options/defaults.js';
import { analyseRun } from '../../report/analysis.js';
import { alignColumns, displayPath, formatDuration } from '../../report/format.js';
import type { JobView } from '../../report/run-view.js';
import { EXIT_OK } from '../exit-codes.js';
import { loadRun } from '../load-jobs.js';

/** Runs `parex runs`. */
export async function runsAction(_options: unknown, command: Command): Promise<void> {
  const limit = parseLimit(String(command.getOptionValue('limit')));
  const runs = readHistory(path.resolve(DEFAULTS.runsDir))
    .reverse()
    .slice(0, limit)
    .map(describeRun);
  if (command.getOptionValue('json') === true) {
    for (const run of runs) process.stdout.write(`${JSON.stringify(run)}\n`);
  } else if (runs.length === 0) {
    process.stdout.write(`no runs recorded in ${DEFAULTS.runsDir}\n`);
  } else {
    const rows = [['RUN', 'STARTED', 'JOBS', 'FAILED', 'WALL', 'OUTCOME', 'LOG DIR', 'COMMAND']];
    for (const run of runs) {
      rows.push([
        run.run_id,
        run.started_at.replace('T', ' ').slice(0, 19),
        String(run.jobs),
        String(run.failed),
        run.wall_ms === null ? '-' : formatDuration(run.wall_ms),
        run.outcome,
        displayPath(run.log_dir),
        `parex ${run.command.join(' ')}`.slice(0, 60),
      ]);
    }
    for (const line of alignColumns(rows)) process.stdout.write(`${line}\n`);
  }
  process.exitCode = EXIT_OK;
}

function parseLimit(text: string): number {
  if (/^\s*[0-9]+\s*$/.test(text) && Number(text) > 0) return Number(text);
  throw new UsageError(
    `-n/--limit must be a whole number of runs, 1 or more; got ${JSON.stringify(text)}`,
    'it says how many of the latest runs to list',
    'give a value such as 20',
  );
}

function describeRun(entry: ReturnType<typeof readHistory>[number]) {
  const manifestPath = path.join(entry.log_dir, DEFAULTS.manifestName);
  const run = existsSync(manifestPath)
    ? loadRun({ logDir: entry.log_dir, manifestPath, runId: entry.run_id }, entry.run_id)
    : null;
  const jobs: readonly JobView[] = run?.jobs ?? [];
  const report = run?.report ?? analyseRun([]);
  return {
    run_id: entry.run_id,
    started_at: entry.started_at,
    jobs: jobs.length,
    failed: report.failures.length,
    wall_ms: jobs.length === 0 ? null : report.wallMs,
    outcome: outcomeOf(jobs),
    log_dir: entry.log_dir,
    command: entry.command,
  };
}

function outcomeOf(jobs: readonly JobView[]): string {
  if (jobs.length === 0) return 'no jobs';
  if (jobs.some((job) => job.state === 'running')) return 'running';
  if (jobs.some((job) => job.state === 'lost')) return 'lost';
  if (jobs.some((job) => job.state === 'cancelled')) return 'cancelled';
  return jobs.every((job) => job.state === 'success') ? 'success' : 'failed';
}
