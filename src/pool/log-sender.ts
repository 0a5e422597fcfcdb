// The worker's side of a job's log: the log file, written by the job as in a local run, is read
// as it grows and sent in order as stream entries of at most 64 KiB. When the coordinator is more
// than WINDOW_ENTRIES behind (it deletes what it has written), reading pauses: the job goes on
// writing to its file, and neither side holds more than the window in memory.
import { type FileHandle, open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

import type { RedisClient } from './modules.js';
import { CHUNK_BYTES } from './protocol.js';

/** Entries (of CHUNK_BYTES at most) the coordinator may be behind before reading pauses. */
export const WINDOW_ENTRIES = 64;
/** Bytes read and sent in one round trip (16 chunks). */
const BATCH_BYTES = 16 * CHUNK_BYTES;
/** How often a quiet log is looked at again. */
const POLL_MS = 20;

/** Sends a growing log file to a stream until `finish` has sent all of it. */
export class LogSender {
  private sent = 0;
  private done = false;
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
    // One chunk's buffer for a small log, a batch's once the log proves large.
    let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    try {
      for (;;) {
        file ??= await openIfPresent(this.logPath);
        const finishing = this.done;
        const { bytesRead } =
          file === null ? { bytesRead: 0 } : await file.read(buffer, 0, buffer.length, this.sent);
        if (bytesRead > 0) {
          await this.send(buffer.subarray(0, bytesRead));
          if (bytesRead === buffer.length && buffer.length < BATCH_BYTES) {
            buffer = Buffer.allocUnsafe(BATCH_BYTES);
          }
          continue;
        }
        if (finishing) return;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, POLL_MS);
        });
        this.wake = null;
      }
    } finally {
      await file?.close();
    }
  }

  /** Sends `data` as entries of at most CHUNK_BYTES, in one round trip, then waits while the
   * coordinator is more than the window behind. */
  private async send(data: Buffer): Promise<void> {
    const pipeline = this.client.pipeline();
    for (let start = 0; start < data.length; start += CHUNK_BYTES) {
      pipeline.xadd(this.stream, '*', 't', 'log', 'd', data.subarray(start, start + CHUNK_BYTES));
    }
    const replies = await pipeline.xlen(this.stream).exec();
    const failed = replies?.find(([error]) => error !== null)?.[0];
    if (failed) throw failed;
    this.sent += data.length;
    let behind = Number(replies?.at(-1)?.[1] ?? 0);
    while (behind > WINDOW_ENTRIES) {
      await sleep(POLL_MS / 2);
      behind = await this.client.xlen(this.stream);
    }
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
