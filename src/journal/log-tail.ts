// The end of a job's log, made safe to print: no escape sequences, no invalid UTF-8.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';

/** How much of the end of a log is read at most. */
const TAIL_BYTES = 64 * 1024;

/** The last `count` non-empty lines of the file (read from its last `maxBytes`), cleaned for a
 * terminal; [] when it is missing or not a regular file. */
export function tailLines(file: string, count: number, maxBytes: number = TAIL_BYTES): string[] {
  let fd: number;
  try {
    // Non-blocking: a FIFO planted where the log should be must not hang the reader.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return [];
  }
  try {
    const stats = fstatSync(fd);
    // A directory or device where the log should be (a job that could not open its log).
    if (!stats.isFile()) return [];
    const size = stats.size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const lines = cleanText(buffer.toString('utf8'))
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => line !== '');
    // The first line may have been cut by the read window; keep it only if the whole file was read.
    return (length < size ? lines.slice(1) : lines).slice(-count);
  } finally {
    closeSync(fd);
  }
}

/** Removes ANSI escape sequences, carriage-return redraws and other control characters. */
export function cleanText(text: string): string {
  return stripVTControlCharacters(text)
    .split('\n')
    .map((line) => line.slice(line.lastIndexOf('\r') + 1))
    .join('\n')
    .split('')
    .filter((char) => !isControl(char.charCodeAt(0)))
    .join('');
}

function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a) || code === 0x7f;
}
