// Copying a job's log to stdout from an offset: as written, or an agent's event stream in words
// (one line per event; what it wrote to stderr as written), holding only an unfinished line.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

import type { LineTranslator } from '../../agents/readable.js';

/** Where the bytes of the log go. */
export interface LogOutput {
  write(chunk: Buffer): void;
  /** The log has been read to its end for good. */
  end(): void;
  /** A new attempt truncated the log: start reading it afresh. */
  restart(): void;
}

/** The log as written, or in words with `translate`. */
export function logOutput(translate: LineTranslator | null): LogOutput {
  if (translate === null) {
    return { write: (chunk) => process.stdout.write(chunk), end: () => {}, restart: () => {} };
  }
  let partial = '';
  let decoder = new TextDecoder('utf-8');
  const print = (line: string) => {
    const text = translate(line);
    if (text !== null) process.stdout.write(`${text}\n`);
  };
  return {
    write: (chunk) => {
      const lines = (partial + decoder.decode(chunk, { stream: true })).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) print(line);
    },
    end: () => {
      if (partial !== '') print(partial);
      partial = '';
    },
    restart: () => {
      partial = '';
      decoder = new TextDecoder('utf-8');
    },
  };
}

/** Copies the log from `offset` to `out` and returns the new offset. */
export function printFrom(logPath: string, offset: number, out: LogOutput): number {
  let size: number;
  try {
    size = statSync(logPath).size;
  } catch {
    return offset;
  }
  const truncated = size < offset; // a new attempt started
  if (truncated) out.restart();
  const start = truncated ? 0 : offset;
  if (size === start) return start;
  const fd = openSync(logPath, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    let position = start;
    while (position < size) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, size - position), position);
      if (read === 0) break;
      out.write(buffer.subarray(0, read));
      position += read;
    }
    return position;
  } finally {
    closeSync(fd);
  }
}
