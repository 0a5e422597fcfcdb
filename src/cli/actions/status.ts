// The action of `parex status`, loaded only when the command runs.
import type { Command } from 'commander';

import { criticalPathText } from '../../report/format.js';
import { formatStatus, statusJson } from '../../report/status-table.js';
import { figuresLine } from '../../report/summary.js';
import { EXIT_OK } from '../exit-codes.js';
import { loadCommandRun, loadRun } from '../load-jobs.js';
import { textOption } from '../sources.js';

/** Runs `parex status`. */
export async function statusAction(
  run: string | undefined,
  _options: unknown,
  command: Command,
): Promise<void> {
  const { source, jobs } = loadCommandRun(run, command);
  const json = command.getOptionValue('json') === true;
  const lines = json
    ? jobs.map((job) => JSON.stringify(statusJson(job)))
    : formatStatus(jobs, source.logDir);
  if (!json) {
    // The figures of one run (the latest, or --run): those of the summary and the report.
    const latest = loadRun(source, textOption(command, 'run') ?? source.runId);
    const figures = latest?.report.figures;
    if (figures !== undefined && figures.jobs > 0) {
      lines.push(`run ${latest?.runId}: ${figuresLine(figures)}`);
      lines.push(`critical path ${criticalPathText(figures)}`);
    }
  }
  for (const line of lines) process.stdout.write(`${line}\n`);
  process.exitCode = EXIT_OK;
}
