// parex selftest: prove this host's process semantics before trusting parex with real jobs.
import type { Command } from 'commander';

/** Adds the selftest command to the program. */
export function registerSelftest(program: Command): void {
  program
    .command('selftest')
    .summary('check that parallelism, exit codes, timeouts and kills work on this host')
    .description(
      'Run real jobs in a temporary directory (removed afterwards): three 2s jobs must take about ' +
        '2s; exit codes 0/1/0 must come back exactly; a job ignoring SIGTERM must be killed after ' +
        'the grace; a grandchild must be gone after a timeout; stdin must be /dev/null; the ' +
        'manifest must parse. Prints one line per check, then "N passed, N failed".',
    )
    .addHelpText('after', '\nExit status: 0 when every check passed, 1 otherwise.')
    .action(async () => {
      const { selftestAction } = await import('../actions/selftest.js');
      await selftestAction();
    });
}
