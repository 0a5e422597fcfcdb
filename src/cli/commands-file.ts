// parex exec -a FILE: the command lines of a file (or of stdin for "-"), one per line; blank
// lines and lines starting with "#" are skipped. The file is read 64 KiB at a time and its
// commands kept as one string with the end of each (4 bytes a command), never as a line array,
// so that 100,000 commands cost about their own size.
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

import { UsageError } from '../errors.js';
import type { JobSource } from '../options/job-list.js';

const CHUNK_BYTES = 64 * 1024;

/** Command lines, kept compactly; `at(index)` makes the string of one. */
export class CommandList implements JobSource {
  length = 0;
  private text = '';
  private ends = new Uint32Array(1024);

  /** Adds the commands of `text`, a run of whole lines (without the last line's newline). */
  addLines(text: string): void {
    const kept: string[] = [];
    let end = this.text.length;
    for (const raw of text.split('\n')) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      kept.push(line);
      end += line.length;
      if (this.length === this.ends.length) this.grow();
      this.ends[this.length] = end;
      this.length += 1;
    }
    this.text += kept.join('');
  }

  /** Command number `index` (from 0). */
  at(index: number): string | undefined {
    if (index < 0 || index >= this.length) return undefined;
    const start = index === 0 ? 0 : (this.ends[index - 1] as number);
    return this.text.slice(start, this.ends[index]);
  }

  /** Every command, as an array (for a handful of them). */
  toArray(): string[] {
    return Array.from({ length: this.length }, (_, index) => this.at(index) as string);
  }

  private grow(): void {
    const ends = new Uint32Array(this.ends.length * 2);
    ends.set(this.ends);
    this.ends = ends;
  }
}

/** The command lines of `file` ("-" reads stdin); a UsageError when it cannot be read or holds none. */
export function readCommandsFile(file: string, stdin = 0): CommandList {
  const where = file === '-' ? '(stdin)' : file;
  let commands: CommandList;
  try {
    commands = readLines(file === '-' ? stdin : openSync(file, 'r'), file !== '-');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(
      `cannot read the commands file ${where}: ${code}`,
      '--commands-file gives the commands to run, one per line',
      file === '-'
        ? 'pipe the commands into parex, e.g. cat cmds.txt | parex exec -a -'
        : 'check the path',
    );
  }
  if (commands.length === 0) {
    throw new UsageError(
      `the commands file ${where} holds no command`,
      'blank lines and lines starting with # are skipped, and nothing else was left',
      'write one shell command line per line',
    );
  }
  return commands;
}

/** Reads `fd` to its end, a chunk at a time, into a CommandList (closing it when `close`). */
function readLines(fd: number, close: boolean): CommandList {
  const commands = new CommandList();
  const decoder = new StringDecoder('utf8');
  const chunk = Buffer.alloc(CHUNK_BYTES);
  let partial = '';
  try {
    for (;;) {
      const read = readChunk(fd, chunk);
      if (read === 0) break;
      const text = partial + decoder.write(chunk.subarray(0, read));
      const cut = text.lastIndexOf('\n');
      if (cut < 0) {
        partial = text;
        continue;
      }
      commands.addLines(text.slice(0, cut));
      partial = text.slice(cut + 1);
    }
  } finally {
    if (close) closeSync(fd);
  }
  commands.addLines(partial + decoder.end());
  return commands;
}

/** One read; a non-blocking stdin that has nothing yet is waited for (EAGAIN), not an error. */
function readChunk(fd: number, chunk: Buffer): number {
  for (;;) {
    try {
      return readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EOF') return 0;
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/** One command per line: CRLF endings removed, blank lines and # comments skipped. */
export function parseCommands(text: string): string[] {
  const commands = new CommandList();
  commands.addLines(text);
  return commands.toArray();
}

/** The commands of exec: its arguments, or the file's; a UsageError for both or neither. */
export function chooseCommands(args: readonly string[], file: string | undefined): JobSource {
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
