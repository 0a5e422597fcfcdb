import type { Command } from 'commander';

import { DEFAULTS } from '../../options/defaults.js';

/** Adds the runs command to the program. */
export function registerRuns(program: Command): void {
  program
    .command('runs')
    .summary('the runs started from this directory, newest first')
    .description(
      `List the runs recorded in ${DEFAULTS.runsDir}/history.jsonl, newest first: id, start, jobs, failures, wall time, outcome and log directory.`,
    )
    .option('--json', 'one JSON object per run, one per line, on stdout')
    .option('-n, --limit <n>', 'show at most N runs', '20')
    .action(async (_options: unknown, command: Command) => {
      const { runsAction } = await import('../actions/runs.js');
      await runsAction(_options, command);
    });
}
