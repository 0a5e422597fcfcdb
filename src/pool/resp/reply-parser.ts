// An incremental reader of Redis replies (RESP2): socket reads of any size and split anywhere go
// in, whole replies come out in order. A bulk string (a log chunk) is a view of the read that
// holds it; one spanning reads is a view too when the reads lie side by side in one buffer (see
// read-slabs.ts), and is copied only where it crosses from one buffer to another.

/** A reply as Redis sends it: a status, an error, an integer, a bulk string (or nil), an array. */
export type RespValue = string | number | Buffer | null | RespError | RespValue[];

/** An error reply (-ERR ..., -NOGROUP ..., -WRONGPASS ...). */
export class RespError extends Error {
  override readonly name = 'RespError';
}

const CR = 13;
const LF = 10;

/** Turns socket reads into replies, handed to `onReply` as each completes. */
export class ReplyParser {
  /** A header line split across reads, so far. */
  private line: Buffer | null = null;
  /** The bulk string being read: bytes still due, parts so far, CRLF bytes still to skip. */
  private bulk: { due: number; parts: Buffer[]; skip: number } | null = null;
  /** Arrays being filled, innermost last. */
  private readonly open: { items: RespValue[]; due: number }[] = [];

  constructor(private readonly onReply: (reply: RespValue) => void) {}

  /** True while a reply has begun and not ended. */
  get midReply(): boolean {
    return this.line !== null || this.bulk !== null || this.open.length > 0;
  }

  /** Reads `chunk`; throws on bytes that are not RESP2 (the connection is then unusable). */
  feed(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.bulk !== null) {
        at = this.readBulk(this.bulk, chunk, at);
        continue;
      }
      const end = chunk.indexOf(LF, at);
      if (end === -1) {
        const rest = chunk.subarray(at);
        this.line = this.line === null ? Buffer.from(rest) : Buffer.concat([this.line, rest]);
        if (this.line.length > 64 * 1024) throw new Error('a reply header longer than 64 KiB');
        return;
      }
      let line = chunk.subarray(at, end + 1);
      if (this.line !== null) {
        line = Buffer.concat([this.line, line]);
        this.line = null;
      }
      at = end + 1;
      this.header(line);
    }
  }

  private header(line: Buffer): void {
    if (line.length < 3 || line[line.length - 2] !== CR) throw new Error('a malformed reply');
    const type = line[0];
    const text = line.toString('latin1', 1, line.length - 2);
    if (type === 0x2b) this.value(text);
    else if (type === 0x2d) this.value(new RespError(text));
    else if (type === 0x3a) this.value(count(text));
    else if (type === 0x24) {
      const length = count(text);
      if (length < 0) this.value(null);
      else this.bulk = { due: length, parts: [], skip: 2 };
    } else if (type === 0x2a) {
      const length = count(text);
      if (length < 0) this.value(null);
      else if (length === 0) this.value([]);
      else this.open.push({ items: [], due: length });
    } else
      throw new Error(`a reply of unknown type ${JSON.stringify(String.fromCharCode(type ?? 0))}`);
  }

  private readBulk(
    bulk: { due: number; parts: Buffer[]; skip: number },
    chunk: Buffer,
    from: number,
  ) {
    let at = from;
    if (bulk.due > 0) {
      const take = Math.min(bulk.due, chunk.length - at);
      bulk.parts.push(chunk.subarray(at, at + take));
      bulk.due -= take;
      at += take;
    }
    if (bulk.due === 0) {
      const skip = Math.min(bulk.skip, chunk.length - at);
      bulk.skip -= skip;
      at += skip;
      if (bulk.skip === 0) {
        this.bulk = null;
        this.value(joined(bulk.parts));
      }
    }
    return at;
  }

  private value(reply: RespValue): void {
    let done = reply;
    for (;;) {
      const top = this.open[this.open.length - 1];
      if (top === undefined) {
        this.onReply(done);
        return;
      }
      top.items.push(done);
      top.due -= 1;
      if (top.due > 0) return;
      this.open.pop();
      done = top.items;
    }
  }
}

/** A length or integer of a header; throws on anything else. */
function count(text: string): number {
  const value = Number(text);
  if (text === '' || !Number.isInteger(value))
    throw new Error(`a malformed number ${JSON.stringify(text)}`);
  return value;
}

/** The parts of a bulk string as one Buffer: a view when they lie side by side in memory. */
export function joined(parts: readonly Buffer[]): Buffer {
  const first = parts[0];
  if (first === undefined) return Buffer.alloc(0);
  let length = first.length;
  let adjacent = true;
  for (let index = 1; index < parts.length; index += 1) {
    const part = parts[index] as Buffer;
    const before = parts[index - 1] as Buffer;
    if (part.buffer !== first.buffer || part.byteOffset !== before.byteOffset + before.length) {
      adjacent = false;
    }
    length += part.length;
  }
  if (parts.length === 1) return first;
  return adjacent
    ? Buffer.from(first.buffer, first.byteOffset, length)
    : Buffer.concat(parts, length);
}
