import type { Command } from 'commander';

/** Adds the report command to the program. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .summary('where the time went: speedup, efficiency, critical path, failures; Markdown or HTML')
    .description(
      'Analyse a run from its manifest: for each wave of phases (or group of jobs) the wall time, the sum of job times, the speedup and the parallel efficiency; the critical path (the chain of jobs that set the wall time); the slowest job; failures with the last lines of their logs; token and cost totals. Prints Markdown to stdout; --md and --html write files. The HTML is one self-contained file with a timeline of every job.',
    )
    .argument('[run]', 'a run id or a log directory (default: the latest run started here)')
    .option('--log-dir <dir>', 'the log directory of the run')
    .option(
      '--run <id>',
      'report this run, when several runs share the log directory (default: the latest)',
    )
    .option('--all', 'every run of the log directory side by side')
    .option('--json', 'the figures as one JSON object on stdout instead of Markdown')
    .option('--html <file>', 'also write the report as one self-contained HTML file')
    .option('--md <file>', 'also write the Markdown to a file')
    .addHelpText(
      'after',
      '\nExamples:\n  parex report --html report.html\n  parex report --log-dir prps/user_auth/codex/logs --md report.md\n  parex report --log-dir prps/user_auth/codex/logs --all\n  parex report --json | jq .efficiency\n\nExit status: 0 written; 2 no such run.',
    )
    .action(async (run: string | undefined, _options: unknown, command: Command) => {
      const { reportAction } = await import('../actions/report.js');
      await reportAction(run, _options, command);
    });
}
