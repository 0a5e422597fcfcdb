// parex status: the jobs of a run, from its manifest; during a run, from another terminal, or after.
import type { Command } from 'commander';

/** Adds the status command to the program. */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .summary('the state of every job of a run (running, done, failed, lost, ...)')
    .description(
      'Show each job of a run: state, exit code, duration, attempts, tokens and cost when known, log. Reads the manifest, so it works while the run goes on, from another terminal, and afterwards. A job with a start line whose process is gone and that never got a completion line is LOST.',
    )
    .argument('[run]', 'a run id or a log directory (default: the latest run started here)')
    .option('--log-dir <dir>', 'the log directory of the run')
    .option('--run <id>', 'only this run id, when several runs share the log directory')
    .option('--json', 'one JSON object per job, one per line, on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  parex status\n  parex status --log-dir prps/user_auth/codex/logs --json | jq .state\n\nExit status: 0 shown; 2 no such run.',
    )
    .action(async (run: string | undefined, _options: unknown, command: Command) => {
      const { statusAction } = await import('../actions/status.js');
      await statusAction(run, _options, command);
    });
}
