// parex apply: bring an isolated run's result (or one job's work) into the working tree.
import type { Command } from 'commander';

import { textOption } from '../sources.js';

const HELP_AFTER = `
The result is the run's base snapshot plus the commit of every job that
succeeded, merged in dependency order (refs/parex/RUN/result). It is applied
with a three-way merge against the base: changes you made since the run
started are kept, and nothing at all is changed when they touch the same
lines (the files are named). Only the working tree changes; nothing is staged
or committed.

Examples:
  parex apply
  parex apply 20261201-101500-3f2a --job fix_parser

Exit status: 0 applied (or nothing to apply); 1 refused (conflicting files
named, nothing changed); 2 not a git repository, no such run or job.`;

/** Adds the apply command to the program. */
export function registerApply(program: Command): void {
  program
    .command('apply')
    .summary("apply an isolated run's result (or one job's work) to the working tree")
    .description(
      'Three-way merge the result of RUN (default: the newest isolated run) into the working tree.',
    )
    .argument('[run]', 'the run id (default: the newest isolated run of this repository)')
    .option('--job <name>', "apply only this job's commit")
    .addHelpText('after', HELP_AFTER)
    .action(async (run: string | undefined, _options: unknown, command: Command) => {
      const { applyRun } = await import('../../workspace/commands.js');
      const report = await applyRun(process.cwd(), run, textOption(command, 'job'));
      for (const line of report.lines)
        (report.ok ? process.stdout : process.stderr).write(`${line}\n`);
      process.exitCode = report.ok ? 0 : 1;
    });
}
