import { type Command, Option } from 'commander';

import { ENVIRONMENT } from '../../options/defaults.js';

/** Adds the speedup command to the program. */
export function registerSpeedup(program: Command): void {
  program
    .command('speedup')
    .summary('sum of job times, wall time and speedup of a run, from its manifest')
    .description(
      'Read LOG_DIR/manifest.jsonl and print, over the last completion of each job (or of the ' +
        'NAMES given): the sum of their durations, the wall time from the first start to the last ' +
        'end, and the speedup (sum / wall).',
    )
    .argument('[names...]', 'only these jobs (default: every job in the manifest)')
    .addOption(
      new Option('--log-dir <dir>', 'the run directory holding manifest.jsonl').env(
        ENVIRONMENT.logDir,
      ),
    )
    .option('--run <id>', 'only the lines of this run id')
    .option('--target <x>', 'exit 1 when the speedup is below X, e.g. 2')
    .addHelpText(
      'after',
      '\nExamples:\n  parex speedup --log-dir prps/user_auth/codex/logs phase2a phase2b phase2c\n  parex speedup --log-dir DIR --target 2 || echo "slower than 2x"\n\nExit status: 0 computed (and at least --target); 1 below --target; 2 no manifest or a job missing.',
    )
    .action(async (names: string[], _options: unknown, command: Command) => {
      const { speedupAction } = await import('../actions/speedup.js');
      await speedupAction(names, _options, command);
    });
}
