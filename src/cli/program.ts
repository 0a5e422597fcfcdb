// The parex program: the top-level options and help, argument errors that say what, why and
// what to do, and the mapping of errors to exit statuses. Which commands it has is up to the
// entry point: main.ts gives it every command, each command's bundle only its own.
import { Command, CommanderError } from 'commander';

import { isUsageError } from '../errors.js';
import { packageInfo } from '../package-root.js';
import { onStdoutError } from './closed-stdout.js';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { cliRedactor } from './redact.js';

const HELP_AFTER = `
Quick start:
  parex run examples/parallel-demo.yaml
  parex exec --timeout 600 --kill-after 5 -- "cmd one" "cmd two" "cmd three"
  parex prp generate prps/INITIAL_user_auth.md --agent codex

Environment (parex exec; a flag beats its variable):
  PAREX_JOBS  PAREX_LOG_DIR  PAREX_FEATURE  PAREX_GROUP
  PAREX_TIMEOUT (default 600 s)  PAREX_KILL_AFTER (default 5 s)
  PAREX_REDIS (exec, run, prp generate, worker: the pool's Redis, as --redis)

Run 'parex COMMAND --help' for a command's options and examples.
Full reference: docs/cli.md. Exit status: 0 success, 1 a job failed,
2 usage or validation error, 128+n stopped by signal n.`;

/** The commands a program can have, by name, each with the function that registers it. */
export type CommandRegistry = Readonly<Record<string, (program: Command) => void>>;

/** Builds the program: only `commandName` when it names a command (a faster start), else all. */
export function buildProgram(commands: CommandRegistry, commandName?: string): Command {
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
    commandName !== undefined && Object.hasOwn(commands, commandName)
      ? commands[commandName]
      : undefined;
  for (const register of only === undefined ? Object.values(commands) : [only]) register(program);
  configureCommands(program, 'parex');
  return program;
}

/** Gives every command the exit override and argument errors that say what, why and what to do. */
function configureCommands(command: Command, name: string): void {
  // A command that takes command lines (exec): an unknown option may be one of theirs.
  const takesCommands = command.registeredArguments.some((argument) => argument.variadic);
  command.exitOverride().configureOutput({
    outputError: (text, write) => write(argumentError(text, name, takesCommands)),
  });
  for (const sub of command.commands) configureCommands(sub, `${name} ${sub.name()}`);
}

function argumentError(text: string, name: string, takesCommands: boolean): string {
  const what = text
    .replace(/^error: /, '')
    .trimEnd()
    .replace(/\n/g, '\n  ');
  const unknown = /unknown option '([^']+)'/.exec(text)?.[1];
  // An option close to one of parex's gets commander's "Did you mean"; any other may be a command's.
  if (takesCommands && unknown !== undefined && !text.includes('Did you mean')) {
    return [
      `parex: ${what}`,
      `  why: ${unknown} is not an option of '${name}'; if it belongs to one of the commands, parex read it as its own`,
      `  fix: put -- before the commands, e.g. ${name} -- "COMMAND ${unknown}" (or run '${name} --help' for its options)`,
      '',
    ].join('\n');
  }
  return [
    `parex: ${what}`,
    `  why: the arguments do not match the usage of '${name}'`,
    `  fix: run '${name} --help' for its usage, options and examples`,
    '',
  ].join('\n');
}

/** Runs the CLI with `argv` and returns the exit status. */
export async function main(argv: readonly string[], commands: CommandRegistry): Promise<number> {
  try {
    await buildProgram(commands, argv[0]).parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (isUsageError(error)) {
      process.stderr.write(`parex: ${cliRedactor().text(error.message)}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

/** Runs the process's arguments with `commands` and sets its exit status. */
export async function runCli(commands: CommandRegistry): Promise<void> {
  // A closed stdout ends the command quietly (parex name | head), or cancels a run (see
  // closed-stdout.ts); a closed stderr never stops a run.
  process.stdout.on('error', onStdoutError);
  process.stderr.on('error', () => {});
  process.exitCode = await main(process.argv.slice(2), commands);
}
