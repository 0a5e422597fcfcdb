// Bundles through Redis: a file sent as stream entries of at most 64 KiB, in order, with the
// logs' backpressure (the sender waits while the reader, which deletes what it has taken, is more
// than WINDOW_ENTRIES behind), so neither side nor Redis holds more than the window of it.
import { type FileHandle, open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

import { nextId } from './log-reader.js';
import { WINDOW_ENTRIES } from './log-sender.js';
import type { RedisClient } from './modules.js';
import { CHUNK_BYTES } from './protocol.js';

/** The largest bundle sent either way for one job; over it the job fails with what to do. */
export const BUNDLE_LIMIT_BYTES = 1024 * 1024 * 1024;
/** Chunks sent in one round trip. */
const BATCH_CHUNKS = 16;
/** How often a reader polls, and a sender looks at the reader's progress. */
const POLL_MS = 10;
/** How long a reader waits for the next entry before giving up on the sender. */
export const SILENCE_LIMIT_MS = 120_000;

/** Sends `file` to `stream` as entries `t TYPE k KIND d CHUNK`; resolves with its size. */
export async function sendFile(
  client: RedisClient,
  stream: string,
  file: string,
  type: string,
  kind: string,
  signal?: AbortSignal,
): Promise<number> {
  let handle: FileHandle | null = null;
  let sent = 0;
  const buffer = Buffer.alloc(CHUNK_BYTES * BATCH_CHUNKS);
  try {
    handle = await open(file, 'r');
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, sent);
      if (bytesRead === 0) return sent;
      const pipeline = client.pipeline();
      for (let start = 0; start < bytesRead; start += CHUNK_BYTES) {
        const end = Math.min(start + CHUNK_BYTES, bytesRead);
        pipeline.xadd(
          stream,
          '*',
          't',
          type,
          'k',
          kind,
          'd',
          Buffer.from(buffer.subarray(start, end)),
        );
      }
      const replies = await pipeline.xlen(stream).exec();
      const failed = replies?.find(([error]) => error !== null)?.[0];
      if (failed) throw failed;
      sent += bytesRead;
      let behind = Number(replies?.at(-1)?.[1] ?? 0);
      while (behind > WINDOW_ENTRIES) {
        if (signal?.aborted === true) throw new Error('cancelled');
        await sleep(POLL_MS);
        behind = await client.xlen(stream);
      }
    }
  } finally {
    await handle?.close();
  }
}

/** A stream entry's fields, by name. */
export type StreamEntry = ReadonlyMap<string, Buffer>;

/**
 * Reads `stream` from its start, deleting what it has taken, handing each entry to `onEntry`
 * until it returns true (the last entry); rejects after SILENCE_LIMIT_MS without an entry or
 * when `signal` aborts.
 */
export async function readStream(
  client: RedisClient,
  stream: string,
  onEntry: (entry: StreamEntry) => Promise<boolean> | boolean,
  signal?: AbortSignal,
): Promise<void> {
  let lastId = '0';
  let heard = Date.now();
  for (;;) {
    if (signal?.aborted === true) throw new Error('cancelled');
    const reply = (await client.xreadBuffer('COUNT', 64, 'STREAMS', stream, lastId)) as
      | [Buffer, [Buffer, Buffer[]][]][]
      | null;
    const entries = reply?.[0]?.[1] ?? [];
    if (entries.length === 0) {
      if (Date.now() - heard > SILENCE_LIMIT_MS) {
        throw new Error(`nothing arrived on ${stream} for ${SILENCE_LIMIT_MS / 1000}s`);
      }
      await sleep(POLL_MS);
      continue;
    }
    heard = Date.now();
    for (const [id, fields] of entries) {
      lastId = id.toString();
      const entry = new Map<string, Buffer>();
      for (let index = 0; index + 1 < fields.length; index += 2) {
        entry.set((fields[index] as Buffer).toString(), fields[index + 1] as Buffer);
      }
      if (await onEntry(entry)) {
        await client.del(stream);
        return;
      }
    }
    await client.xtrim(stream, 'MINID', nextId(lastId));
  }
}
