// parex clean: remove finished runs' directories under .parex/runs, by age or beyond a count.
import type { Command } from 'commander';

import { DEFAULTS } from '../../options/defaults.js';

/** Adds the clean command to the program. */
export function registerClean(program: Command): void {
  program
    .command('clean')
    .summary(`remove old finished runs from ${DEFAULTS.runsDir}`)
    .description(
      `Remove the directories of finished runs under ${DEFAULTS.runsDir} (logs and manifest) that are older than --older-than DAYS or beyond the newest --keep N, and forget them in the history (by appending; it is never rewritten). A run that is still running, or whose log directory is locked by a live parex, is never removed. An isolated run's worktrees, parex/ branches and refs/parex/ refs go with it; those of isolated workflow runs, whose logs elsewhere are never removed, go by the same rules. Prints each run removed and the space freed.`,
    )
    .option('--keep <n>', 'keep the newest N runs, remove the older ones')
    .option(
      '--older-than <days>',
      'remove runs last written more than DAYS days ago (fractions allowed)',
    )
    .option('--dry-run', 'print what would be removed and remove nothing')
    .addHelpText(
      'after',
      '\nExamples:\n  parex clean --keep 20\n  parex clean --older-than 7 --dry-run\n\nExit status: 0 done (also when nothing was removed); 2 neither --keep nor --older-than, or a bad number.',
    )
    .action(async (_options: unknown, command: Command) => {
      const { cleanAction } = await import('../actions/clean.js');
      await cleanAction(command);
    });
}
