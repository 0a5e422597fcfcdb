// The action of `parex clean`, loaded only when the command runs.
import path from 'node:path';

import type { Command } from 'commander';
import { addCleanStep, forgetRuns, removeRun, sizeOf } from '../../clean/remove.js';
import { chooseRuns, listRunDirs } from '../../clean/select.js';
import { UsageError } from '../../errors.js';
import { readHistory } from '../../journal/history.js';
import { DEFAULTS } from '../../options/defaults.js';
import { parseNumberText, validateConcurrency, validateSeconds } from '../../options/numbers.js';
import { displayPath } from '../../report/format.js';
import { cleanElsewhere, runsWithWorkspacesElsewhere } from '../../workspace/clean-elsewhere.js';
import { cleanWorkspaces } from '../../workspace/clean-step.js';
import { EXIT_OK } from '../exit-codes.js';
import { textOption } from '../sources.js';

// An isolated run's worktrees, parex/ branches and refs/parex/ refs go with its directory.
addCleanStep(cleanWorkspaces);

/** Runs `parex clean`. */
export async function cleanAction(command: Command): Promise<void> {
  const keepText = textOption(command, 'keep');
  const daysText = textOption(command, 'olderThan');
  if (keepText === undefined && daysText === undefined) {
    throw new UsageError(
      'parex clean needs --keep N or --older-than DAYS',
      'without a rule it would not know which runs to remove, and removing every run is rarely meant',
      'e.g. parex clean --keep 20, or parex clean --older-than 7 --dry-run',
    );
  }
  const keep =
    keepText === undefined
      ? null
      : validateConcurrency(
          /^\s*\d+\s*$/.test(keepText) ? Number(keepText) : Number.NaN,
          '--keep',
          keepText,
        );
  const olderThanDays =
    daysText === undefined
      ? null
      : validateSeconds(
          parseNumberText(daysText),
          '--older-than (days)',
          '0 means any finished run',
          daysText,
        );
  const dryRun = command.getOptionValue('dryRun') === true;
  const runsDir = path.resolve(DEFAULTS.runsDir);
  const { remove, keep: kept } = chooseRuns(listRunDirs(runsDir), {
    keep,
    olderThanDays,
    now: Date.now(),
  });
  let freed = 0;
  const verb = dryRun ? 'would remove' : 'removed';
  for (const run of remove) {
    const bytes = sizeOf(run.dir);
    const lines = removeRun(run, dryRun);
    freed += bytes;
    process.stdout.write(`${verb} ${displayPath(run.dir)} (${formatBytes(bytes)})\n`);
    for (const line of lines) process.stdout.write(`  ${line}\n`);
  }
  for (const run of kept.filter((entry) => entry.busy !== null)) {
    process.stdout.write(
      `kept ${displayPath(run.dir)}: ${run.busy === 'running' ? 'a job is still running' : 'locked by a running parex'}\n`,
    );
  }
  if (!dryRun && remove.length > 0) forgetRuns(runsDir, new Set(remove.map((run) => run.dir)));
  // Isolated runs whose logs are elsewhere (workflows): their git workspaces, by the same rules.
  const elsewhere = chooseRuns(runsWithWorkspacesElsewhere(readHistory(runsDir), runsDir), {
    keep,
    olderThanDays,
    now: Date.now(),
  });
  for (const run of elsewhere.remove) process.stdout.write(`${cleanElsewhere(run, dryRun)}\n`);
  process.stdout.write(
    `${dryRun ? 'would free' : 'freed'} ${formatBytes(freed)} from ${remove.length} run${remove.length === 1 ? '' : 's'}; ${kept.length} kept\n`,
  );
  process.exitCode = EXIT_OK;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
