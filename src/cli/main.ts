#!/usr/bin/env node
// The parex command: parse the arguments, run the command, map errors to exit statuses.
import { readFileSync } from 'node:fs';

import { Command, CommanderError } from 'commander';

import { isUsageError } from '../errors.js';
import { registerExec } from './commands/exec.js';
import { registerName } from './commands/name.js';
import { registerPrp } from './commands/prp.js';
import { registerRun } from './commands/run.js';
import { registerSelftest } from './commands/selftest.js';
import { registerSpeedup } from './commands/speedup.js';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';

const HELP_AFTER = `
Run 'parex COMMAND --help' for a command's options and examples.
Full reference: docs/cli.md. Exit status: 0 success, 1 a job failed,
2 usage or validation error, 128+n stopped by signal n.`;

/** Builds the program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('parex')
    .description(
      'Run AI coding agents and shell commands in parallel groups, with hard timeouts that kill ' +
        'the whole process tree, one log per job, exact exit codes, a JSONL manifest and the speedup.',
    )
    .version(readVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print help')
    .helpCommand('help [command]', 'print help for a command')
    .showHelpAfterError("(run 'parex --help' or 'parex COMMAND --help' for usage)")
    .configureOutput({
      outputError: (text, write) => write(`parex: ${text.replace(/^error: /, '')}`),
    })
    .exitOverride()
    .addHelpText('after', HELP_AFTER);
  registerExec(program);
  registerRun(program);
  registerPrp(program);
  registerSpeedup(program);
  registerName(program);
  registerSelftest(program);
  configureCommands(program, 'parex');
  return program;
}

function configureCommands(parent: Command, prefix: string): void {
  for (const command of parent.commands) {
    const name = `${prefix} ${command.name()}`;
    command.exitOverride().configureOutput(parent.configureOutput());
    command.showHelpAfterError(`(run '${name} --help' for usage)`);
    configureCommands(command, name);
  }
}

/** Runs the CLI with `argv` and returns the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
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

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  return String(pkg.version);
}

// A closed stdout (parex name | head) ends the command quietly; a closed stderr never stops a run.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit();
});
process.stderr.on('error', () => {});
process.exitCode = await main(process.argv.slice(2));
