// parex diff: what an isolated run (or one of its jobs) changed, against the run's base.
import type { Command } from 'commander';

import { textOption } from '../sources.js';

const HELP_AFTER = `
Examples:
  parex diff --stat
  parex diff 20261201-101500-3f2a --job fix_parser

Exit status: 0 printed; 2 not a git repository, no such run or job.`;

/** Adds the diff command to the program. */
export function registerDiff(program: Command): void {
  program
    .command('diff')
    .summary('print the changes of an isolated run (or one job) against its base')
    .description(
      "Print git's diff from RUN's base snapshot to its result (or to one job's commit).",
    )
    .argument('[run]', 'the run id (default: the newest isolated run of this repository)')
    .option('--job <name>', "only this job's commit")
    .option('--stat', 'a summary of changed files instead of the patch')
    .addHelpText('after', HELP_AFTER)
    .action(async (run: string | undefined, _options: unknown, command: Command) => {
      const { diffRun } = await import('../../workspace/commands.js');
      const code = await diffRun(
        process.cwd(),
        run,
        textOption(command, 'job'),
        command.getOptionValue('stat') === true,
      );
      process.exitCode = code === 0 ? 0 : 1;
    });
}
