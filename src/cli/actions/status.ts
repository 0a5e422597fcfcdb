// The action of `parex status`, loaded only when the command runs.
import type { Command } from 'commander';

import { readSpendFile } from '../../budget/spend-file.js';
import { criticalPathText } from '../../report/format.js';
import { liveSpendLine, withLiveSpend } from '../../report/live-spend.js';
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
  const loaded = loadCommandRun(run, command);
  const { source } = loaded;
  // While agents run, spend.json has the spend the manifest gets only when they end.
  const live = readSpendFile(source.logDir);
  const jobs = withLiveSpend(loaded.jobs, live);
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
    if (live !== null && jobs.some((job) => job.runId === live.runId))
      lines.push(liveSpendLine(live));
  }
  for (const line of lines) process.stdout.write(`${line}\n`);
  process.exitCode = EXIT_OK;
}
