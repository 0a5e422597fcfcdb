// parex exec -a FILE: the command lines of a file (or of stdin for "-"), one per line; blank
// lines and lines starting with "#" are skipped.
import { readFileSync } from 'node:fs';

import { UsageError } from '../errors.js';

/** The command lines of `file` ("-" reads stdin); a UsageError when it cannot be read or holds none. */
export function readCommandsFile(file: string, stdin: number | string = 0): string[] {
  let text: string;
  try {
    text = readFileSync(file === '-' ? stdin : file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(
      `cannot read the commands file ${file === '-' ? '(stdin)' : file}: ${code}`,
      '--commands-file gives the commands to run, one per line',
      file === '-'
        ? 'pipe the commands into parex, e.g. cat cmds.txt | parex exec -a -'
        : 'check the path',
    );
  }
  const commands = parseCommands(text);
  if (commands.length === 0) {
    throw new UsageError(
      `the commands file ${file === '-' ? '(stdin)' : file} holds no command`,
      'blank lines and lines starting with # are skipped, and nothing else was left',
      'write one shell command line per line',
    );
  }
  return commands;
}

/** One command per line: CRLF endings removed, blank lines and # comments skipped. */
export function parseCommands(text: string): string[] {
  const commands: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    commands.push(line);
  }
  return commands;
}

/** The commands of exec: its arguments, or the file's; a UsageError for both or neither. */
export function chooseCommands(args: readonly string[], file: string | undefined): string[] {
  if (file === undefined) {
    if (args.length > 0) return [...args];
    throw new UsageError(
      'no commands to run',
      'parex exec runs the commands given after --, or those of --commands-file',
      'e.g. parex exec -- "sleep 1" "echo hi", or parex exec -a commands.txt',
    );
  }
  if (args.length > 0) {
    throw new UsageError(
      `commands given both as arguments (${args.length}) and in --commands-file ${file}`,
      'parex would not know which to run, or in what order',
      'give the commands one way: as arguments after --, or one per line in the file',
    );
  }
  return readCommandsFile(file);
}
