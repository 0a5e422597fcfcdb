// Reads a log that is still being written, a bounded piece at a time: whole lines out, the
// unfinished last line held back (up to a limit), so that memory stays flat whatever a job prints.
import { closeSync, openSync, readSync } from 'node:fs';

/** Bytes read from the file in one go. */
const CHUNK_BYTES = 64 * 1024;
/** A line longer than this is handed out in pieces of this size. */
export const MAX_LINE_BYTES = 64 * 1024;

/** Follows one log file from its start. */
export class LogFollower {
  private fd: number | null = null;
  private offset = 0;
  private partial: Buffer = Buffer.alloc(0);
  private readonly chunk = Buffer.alloc(CHUNK_BYTES);
  private caughtUp = false;

  constructor(readonly path: string) {}

  /** The whole lines written since the last call (without newlines), reading at most
   * `maxBytes`; the rest is read by the next call. */
  readLines(maxBytes: number = 16 * CHUNK_BYTES): string[] {
    const lines: string[] = [];
    this.caughtUp = false;
    if (!this.open()) return lines;
    for (let read = 0; read < maxBytes; ) {
      const count = readSync(this.fd as number, this.chunk, 0, CHUNK_BYTES, this.offset);
      if (count === 0) {
        this.caughtUp = true;
        break;
      }
      this.offset += count;
      read += count;
      this.split(this.chunk.subarray(0, count), lines);
    }
    return lines;
  }

  /** Bytes of the file read so far. */
  get bytesRead(): number {
    return this.offset;
  }

  /** True when the last read reached the end of what the file holds now. */
  get atEnd(): boolean {
    return this.caughtUp;
  }

  /** True when a line has been started but not ended. */
  get hasPartial(): boolean {
    return this.partial.length > 0;
  }

  /** Hands out the unfinished last line, if any, as if it had ended. */
  takePartial(): string | null {
    if (this.partial.length === 0) return null;
    const line = decode(this.partial);
    this.partial = Buffer.alloc(0);
    return line;
  }

  /** Closes the file. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private open(): boolean {
    if (this.fd !== null) return true;
    try {
      this.fd = openSync(this.path, 'r');
      return true;
    } catch {
      return false; // Not created yet: the next call tries again.
    }
  }

  private split(data: Buffer, lines: string[]): void {
    let start = 0;
    const first = data.indexOf(10);
    if (first !== -1 && this.partial.length > 0) {
      lines.push(decode(Buffer.concat([this.partial, data.subarray(0, first)])));
      this.partial = Buffer.alloc(0);
      start = first + 1;
    }
    const last = data.lastIndexOf(10);
    if (last >= start) {
      // A newline byte is never inside a UTF-8 character: the text up to it decodes whole.
      for (const line of data.toString('utf8', start, last).split('\n')) {
        lines.push(line.endsWith('\r') ? line.slice(0, -1) : line);
      }
      start = last + 1;
    }
    let rest = data.subarray(start);
    while (this.partial.length + rest.length > MAX_LINE_BYTES) {
      const take = MAX_LINE_BYTES - this.partial.length;
      lines.push(decode(Buffer.concat([this.partial, rest.subarray(0, take)])));
      this.partial = Buffer.alloc(0);
      rest = rest.subarray(take);
    }
    if (rest.length > 0) this.partial = Buffer.concat([this.partial, rest]);
  }
}

function decode(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
