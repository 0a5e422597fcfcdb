#!/usr/bin/env node
// The parex command: parse the arguments, run the command, map errors to exit statuses.
import { Command, CommanderError } from 'commander';

import { isUsageError } from '../errors.js';
import { packageInfo } from '../package-root.js';
import { registerExec } from './commands/exec.js';
import { registerLogs } from './commands/logs.js';
import { registerName } from './commands/name.js';
import { registerPrp } from './commands/prp.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerRuns } from './commands/runs.js';
import { registerSelftest } from './commands/selftest.js';
import { registerSpeedup } from './commands/speedup.js';
import { registerStatus } from './commands/status.js';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';

const HELP_AFTER = `
Quick start:
  parex run examples/parallel-demo.yaml
  parex exec --timeout 600 --kill-after 5 -- "cmd one" "cmd two" "cmd three"
  parex prp generate prps/INITIAL_user_auth.md --agent codex

Environment (parex exec; a flag beats its variable):
  PAREX_JOBS  PAREX_LOG_DIR  PAREX_FEATURE  PAREX_GROUP
  PAREX_TIMEOUT (default 600 s)  PAREX_KILL_AFTER (default 5 s)

Run 'parex COMMAND --help' for a command's options and examples.
Full reference: docs/cli.md. Exit status: 0 success, 1 a job failed,
2 usage or validation error, 128+n stopped by signal n.`;

/** Every command, in the order of the help, with the function that registers it. */
const COMMANDS: Readonly<Record<string, (program: Command) => void>> = {
  exec: registerExec,
  run: registerRun,
  prp: registerPrp,
  status: registerStatus,
  logs: registerLogs,
  runs: registerRuns,
  report: registerReport,
  speedup: registerSpeedup,
  name: registerName,
  selftest: registerSelftest,
};

/** Builds the program: only `commandName` when it names a command (a faster start), else all. */
export function buildProgram(commandName?: string): Command {
  const program = new Command('parex')
    .description(
      'Run AI coding agents and shell commands in parallel groups, with hard timeouts that kill ' +
        'the whole process tree, one log per job, exact exit codes, a JSONL manifest and the speedup.',
    )
    .version(packageInfo().version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print help')
    .helpCommand('help [command]', 'print help for a command')
    .exitOverride()
    .addHelpText('after', HELP_AFTER);
  const only =
    commandName !== undefined && Object.hasOwn(COMMANDS, commandName)
      ? COMMANDS[commandName]
      : undefined;
  for (const register of only === undefined ? Object.values(COMMANDS) : [only]) register(program);
  configureCommands(program, 'parex');
  return program;
}

/** Gives every command the exit override and argument errors that say what, why and what to do. */
function configureCommands(command: Command, name: string): void {
  command.exitOverride().configureOutput({
    outputError: (text, write) => write(argumentError(text, name)),
  });
  for (const sub of command.commands) configureCommands(sub, `${name} ${sub.name()}`);
}

function argumentError(text: string, name: string): string {
  const what = text
    .replace(/^error: /, '')
    .trimEnd()
    .replace(/\n/g, '\n  ');
  return [
    `parex: ${what}`,
    `  why: the arguments do not match the usage of '${name}'`,
    `  fix: run '${name} --help' for its usage, options and examples`,
    '',
  ].join('\n');
}

/** Runs the CLI with `argv` and returns the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram(argv[0]).parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (isUsageError(error)) {
      process.stderr.write(`parex: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

// A closed stdout (parex name | head) ends the command quietly; a closed stderr never stops a run.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit();
});
process.stderr.on('error', () => {});
process.exitCode = await main(process.argv.slice(2));
