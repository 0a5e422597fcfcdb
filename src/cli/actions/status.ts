// The action of `parex status`, loaded only when the command runs.
import type { Command } from 'commander';

import { formatStatus, statusJson } from '../../report/status-table.js';
import { EXIT_OK } from '../exit-codes.js';
import { loadCommandRun } from '../load-jobs.js';

/** Runs `parex status`. */
export async function statusAction(
  run: string | undefined,
  _options: unknown,
  command: Command,
): Promise<void> {
  const { source, jobs } = loadCommandRun(run, command);
  const lines =
    command.getOptionValue('json') === true
      ? jobs.map((job) => JSON.stringify(statusJson(job)))
      : formatStatus(jobs, source.logDir);
  for (const line of lines) process.stdout.write(`${line}\n`);
  process.exitCode = EXIT_OK;
}
