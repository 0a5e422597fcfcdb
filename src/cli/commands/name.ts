// parex name: the feature name of a PRP file path, for shell scripts.
import type { Command } from 'commander';

import { extractFeatureName } from '../../names/feature-name.js';
import { EXIT_OK } from '../exit-codes.js';

/** Adds the name command to the program. */
export function registerName(program: Command): void {
  program
    .command('name')
    .summary('print the feature name of a path or name, or exit 2 if it is invalid')
    .description(
      'Print the feature name of PATH-OR-NAME: its basename without one ".md" and without one ' +
        'leading "INITIAL_", validated like every name parex uses.',
    )
    .argument('<path-or-name>', 'e.g. prps/INITIAL_user_auth.md')
    .addHelpText(
      'after',
      '\nExamples:\n  parex name prps/INITIAL_user_auth.md   # prints user_auth\n  feature=$(parex name "$file") || exit 2',
    )
    .action((pathOrName: string) => {
      process.stdout.write(`${extractFeatureName(pathOrName)}\n`);
      process.exitCode = EXIT_OK;
    });
}
