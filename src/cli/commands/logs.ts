import type { Command } from 'commander';

/** Adds the logs command to the program. */
export function registerLogs(program: Command): void {
  program
    .command('logs')
    .summary("print a job's log, or follow it until the job ends")
    .description(
      "Print the log (stdout and stderr) of job NAME of a run: an agent job's JSON event stream in words, one line per event (its stderr as written), or with --raw the log as written (default: the latest run that has a job NAME: the latest run, then earlier runs of the history). It says on stderr which run it shows. With -f, keep printing what the job writes until it has ended; a job that has not started yet is waited for while its run goes on. A skipped job has no log: it says why it was skipped.",
    )
    .argument('<name>', 'the job or phase name')
    .argument('[run]', 'a run id or a log directory (default: the latest run started here)')
    .option('--log-dir <dir>', 'the log directory of the run')
    .option('-f, --follow', 'follow the log until the job ends (waits for a job not started yet)')
    .option('-n, --lines <n>', 'only the last N lines (then follow, with -f)')
    .option('--raw', "print an agent's event stream as written, not in words")
    .addHelpText(
      'after',
      '\nExamples:\n  parex logs phase2a -f\n  parex logs phase2a --raw | jq .type\n  parex logs job3 --lines 20\n  parex logs job3 --log-dir .parex/runs/20261125-133837-886c\n\nExit status: 0 printed (or the job was skipped); 2 no such run or job.',
    )
    .action(async (name: string, run: string | undefined, _options: unknown, command: Command) => {
      const { logsAction } = await import('../actions/logs.js');
      await logsAction(name, run, _options, command);
    });
}
