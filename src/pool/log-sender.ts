// The worker's side of a job's log: the log file, written by the job as in a local run, is read
// as it grows and sent in order as stream entries of at most 64 KiB. When the coordinator is more
// than WINDOW_ENTRIES behind (it deletes what it has written), reading pauses: the job goes on
// writing to its file, and neither side holds more than the window in memory. A log that proves
// large (its first read fills a chunk) goes on through a connection of its own below ioredis
// (src/pool/resp/), which writes each chunk without copying it; ioredis again if that is lost.
import { type FileHandle, open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

import { addressOf } from './connection.js';
import type { RedisClient } from './modules.js';
import { CHUNK_BYTES } from './protocol.js';
import { RespConnection } from './resp/connection.js';
import { pageBuffers } from './resp/page-buffers.js';
import { RespError } from './resp/reply-parser.js';

/** Entries (of CHUNK_BYTES at most) the coordinator may be behind before reading pauses. */
export const WINDOW_ENTRIES = 64;
/** Bytes read and sent in one round trip (16 chunks). */
const BATCH_BYTES = 16 * CHUNK_BYTES;
/** Batches sent before the oldest one's replies are waited for. */
const DEPTH = 2;
/** How often a quiet log is looked at again. */
const POLL_MS = 20;

/** Sends a growing log file to a stream until `finish` has sent all of it. */
export class LogSender {
  /** Bytes read from the log, and bytes Redis has taken. */
  private read = 0;
  private sent = 0;
  private done = false;
  /** The large log's own connection; null before, and after it was lost. */
  private bulk: RespConnection | null = null;
  /** Set by a failed send: bytes from `sent` on are not known to have arrived. */
  private broken = false;
  private readonly loop: Promise<void>;
  private wake: (() => void) | null = null;

  /** Starts sending `logPath` (which may not exist yet) to `stream`. */
  constructor(
    private readonly client: RedisClient,
    private readonly stream: string,
    private readonly logPath: string,
  ) {
    this.loop = this.run();
  }

  /** Sends what is left once the job has ended; resolves with the bytes sent in all. */
  async finish(): Promise<number> {
    this.done = true;
    this.wake?.();
    await this.loop;
    return this.sent;
  }

  private async run(): Promise<void> {
    let file: FileHandle | null = null;
    // Batches in flight, each in a buffer of its own (reused once its replies are in): one
    // chunk's buffer for a small log, a batch's once the log proves large.
    const flying: { buffer: Buffer; sent: Promise<number> }[] = [];
    const spare: Buffer[] = [];
    let size = CHUNK_BYTES;
    try {
      for (;;) {
        file ??= await openIfPresent(this.logPath);
        const finishing = this.done;
        const buffer = spare.pop() ?? Buffer.allocUnsafe(size);
        const { bytesRead } =
          file === null ? { bytesRead: 0 } : await file.read(buffer, 0, buffer.length, this.read);
        if (bytesRead > 0) {
          const sent = this.send(buffer.subarray(0, bytesRead), this.read);
          this.read += bytesRead;
          // Its error is thrown where it is waited for, not as an unhandled rejection.
          sent.catch(() => {});
          flying.push({ buffer, sent });
          if (bytesRead === buffer.length && size < BATCH_BYTES) {
            size = BATCH_BYTES;
            // Page-aligned: the kernel's copy into a large Buffer.allocUnsafe is 4x slower here.
            spare.push(...pageBuffers(DEPTH + 1, BATCH_BYTES));
            // What ioredis sent (the start entry included) lands before the first bulk write.
            while (flying.length > 0) await this.landed(flying, spare, size);
            this.bulk = await openBulk(this.client);
          }
          if (flying.length >= DEPTH) await this.landed(flying, spare, size);
          continue;
        }
        if (buffer.length === size) spare.push(buffer);
        while (flying.length > 0) await this.landed(flying, spare, size);
        if (finishing) return;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, POLL_MS);
        });
        this.wake = null;
      }
    } catch (error) {
      // Redis refused an entry, or ioredis failed: the log cannot be sent.
      if (this.bulk === null || error instanceof RespError) throw error;
      // The bulk connection was lost: what did not surely arrive goes again (ioredis, or a new
      // one); a chunk that had arrived after all is known by its offset and skipped.
      await Promise.allSettled(flying.splice(0).map((batch) => batch.sent));
      this.bulk.close();
      this.bulk = null;
      this.broken = false;
      this.read = this.sent;
      await file?.close();
      file = null;
      return await this.run();
    } finally {
      // A failed batch fails the job's log; the others are waited for (their errors are its).
      await Promise.allSettled(flying.map((batch) => batch.sent));
      await file?.close();
      this.bulk?.close();
      this.bulk = null;
    }
  }

  /** Waits for the oldest batch in flight, then while the coordinator is more than the window
   * behind; its buffer becomes spare when it has the current size. */
  private async landed(
    flying: { buffer: Buffer; sent: Promise<number> }[],
    spare: Buffer[],
    size: number,
  ): Promise<void> {
    const oldest = flying.shift();
    if (oldest === undefined) return;
    let behind = await oldest.sent;
    if (oldest.buffer.length === size) spare.push(oldest.buffer);
    while (behind > WINDOW_ENTRIES) {
      await sleep(POLL_MS / 2);
      behind = await this.client.xlen(this.stream);
    }
  }

  /** Sends `data` as entries of at most CHUNK_BYTES (commands of their own, written as they are
   * built: no batch-wide copy; on the bulk connection the batch's commands leave in one write,
   * not a `writev` each); resolves with the stream's length after them. */
  private send(data: Buffer, offset: number): Promise<number> {
    return this.bulk === null
      ? this.sendAll(data, offset)
      : this.bulk.corked(() => this.sendAll(data, offset));
  }

  private async sendAll(data: Buffer, offset: number): Promise<number> {
    const added: Promise<void>[] = [];
    for (let start = 0; start < data.length; start += CHUNK_BYTES) {
      const chunk = data.subarray(start, start + CHUNK_BYTES);
      const at = String(offset + start);
      // Replies come in order: `sent` grows chunk by chunk, up to the first that failed.
      const entry = this.add(chunk, at).then(
        () => {
          if (!this.broken) this.sent += chunk.length;
        },
        (error: unknown) => {
          this.broken = true;
          throw error;
        },
      );
      added.push(entry);
    }
    const length = this.bulk?.send(['XLEN', this.stream]) ?? this.client.xlen(this.stream);
    length.catch(() => {});
    await Promise.all(added);
    return Number(await length);
  }

  /** One XADD of a chunk and its offset in the log (a chunk sent twice is then seen as such):
   * written as it is on the bulk connection, a command of its own on ioredis (a pipeline would
   * copy it). */
  private add(chunk: Buffer, at: string): Promise<unknown> {
    if (this.bulk !== null) {
      return this.bulk.send(['XADD', this.stream, '*', 't', 'log', 'o', at, 'd', chunk]);
    }
    return this.client.xadd(this.stream, '*', 't', 'log', 'o', at, 'd', chunk);
  }
}

/** A connection of its own for a large log, or null (ioredis then sends it all). */
async function openBulk(client: RedisClient): Promise<RespConnection | null> {
  const address = addressOf(client);
  if (address === undefined) return null;
  try {
    return await RespConnection.open(address, `${client.options.connectionName ?? 'parex'}:logs`);
  } catch {
    return null;
  }
}

async function openIfPresent(file: string): Promise<FileHandle | null> {
  try {
    return await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
