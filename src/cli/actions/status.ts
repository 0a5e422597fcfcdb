// The action of `parex status`, loaded only when the command runs.
import type { Command } from 'commander';

import { readSpendFile } from '../../budget/spend-file.js';
import { liveSpendLine, withLiveSpend } from '../../report/live-spend.js';
import { formatStatus, statusJson } from '../../report/status-table.js';
import { EXIT_OK } from '../exit-codes.js';
import { loadCommandRun } from '../load-jobs.js';

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
  const current = live !== null && jobs.some((job) => job.runId === live.runId);
  const lines =
    command.getOptionValue('json') === true
      ? jobs.map((job) => JSON.stringify(statusJson(job)))
      : [...formatStatus(jobs, source.logDir), ...(current ? [liveSpendLine(live)] : [])];
  for (const line of lines) process.stdout.write(`${line}\n`);
  process.exitCode = EXIT_OK;
}
