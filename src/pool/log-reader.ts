// The coordinator's one reader of the pool's streams: the run's events stream (which worker took
// which job), BullMQ's events stream of each queue the run uses (its verdicts: a job stalled,
// a job failed) and the stream of every attempt a worker has taken, read together with one blocking
// XREAD on a connection of its own, below ioredis (src/pool/resp/): each log chunk reaches the
// log's writer as a view of the socket's reads, uncopied. What is written is deleted from its
// stream, which is how the worker knows the coordinator keeps up (its window).
import { setTimeout as sleep } from 'node:timers/promises';

import type { RedisClient } from './modules.js';
import type { RedisAddress } from './redis-url.js';
import type { RemoteAttempt } from './remote-attempt.js';
import { RespConnection } from './resp/connection.js';

/** Entries read from one stream per call. */
const COUNT = 16;
/** How long one XREAD blocks; only closing waits for it. */
const BLOCK_MS = 1000;
/** How long stopping waits for the last XREAD. */
const STOP_WAIT_MS = 1500;
/** After a reply of fewer than COUNT entries, the pause before the next XREAD, so that entries
 * gather: at hundreds of short jobs a second, an XREAD per entry or two is a round trip each. */
const GATHER_MS = 2;
/** The pause before connecting again after a lost connection. */
const RETRY_MS = 200;

type Reply = [Buffer, [Buffer, Buffer[]][]][] | null;

/** Told of each entry of a queue's BullMQ events stream: its fields. */
export type QueueEventHandler = (fields: Map<string, Buffer>) => void;

/** Reads the events stream and the taken attempts' streams until `stop`. */
export class LogReader {
  private readonly following = new Map<string, Followed>();
  /** BullMQ's events streams watched: the last id read of each, and who is told. */
  private readonly queueEvents = new Map<string, { lastId: string; onEvent: QueueEventHandler }>();
  private eventsId = '0';
  private stopped = false;
  private connection: RespConnection | null = null;
  private readonly loop: Promise<void>;

  /** Reads from `address` (connection `name`); `client` trims; `byKey` finds an attempt from the
   * `name.attempt` key that workers name. */
  constructor(
    private readonly address: RedisAddress,
    private readonly name: string,
    private readonly client: RedisClient,
    private readonly events: string,
    private readonly byKey: (key: string) => RemoteAttempt | undefined,
  ) {
    this.loop = this.run();
  }

  /** Reads BullMQ's events stream `stream` from after `fromId` on, telling `onEvent` of each
   * entry (from the next XREAD on: a blocking one in progress does not wait for it). */
  watchQueue(stream: string, fromId: string, onEvent: QueueEventHandler): void {
    if (!this.queueEvents.has(stream)) this.queueEvents.set(stream, { lastId: fromId, onEvent });
  }

  /** Stops following an attempt (lost, or over). */
  forget(attempt: RemoteAttempt): void {
    this.following.delete(attempt.stream);
  }

  /** Stops reading; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.connection?.close();
    await Promise.race([this.loop, sleep(STOP_WAIT_MS, null, { ref: false })]);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const streams = [this.events, ...this.queueEvents.keys(), ...this.following.keys()];
      const ids = [
        this.eventsId,
        ...[...this.queueEvents.values()].map((watched) => watched.lastId),
        ...[...this.following.values()].map((entry) => entry.lastId),
      ];
      let reply: Reply;
      try {
        this.connection ??= await RespConnection.open(this.address, this.name);
        if (this.stopped) break;
        const args = ['XREAD', 'COUNT', String(COUNT), 'BLOCK', String(BLOCK_MS), 'STREAMS'];
        reply = (await this.connection.send([...args, ...streams, ...ids])) as Reply;
      } catch {
        // Redis lost (or restarting): the next turn connects again, after a pause.
        this.connection?.close();
        this.connection = null;
        if (!this.stopped) await sleep(RETRY_MS);
        continue;
      }
      const flushes: Promise<void>[] = [];
      let count = 0;
      for (const [name, entries] of reply ?? []) {
        count += entries.length;
        const flushed = this.applyAll(name.toString(), entries);
        if (flushed !== null) flushes.push(flushed);
      }
      // Nothing but the log writers keeps a view of the reply once it is applied.
      this.connection.slabs.recycleAfter(flushes);
      if (reply !== null && count < COUNT && !this.stopped) await sleep(GATHER_MS);
    }
    this.connection?.close();
  }

  /** Applies the entries of one stream; the flush of the log chunks among them, if any. */
  private applyAll(stream: string, entries: [Buffer, Buffer[]][]): Promise<void> | null {
    if (stream === this.events) {
      for (const [id, fields] of entries) {
        this.eventsId = id.toString();
        const entry = toEntry(fields);
        const attempt = this.byKey(entry.get('job')?.toString() ?? '');
        if (attempt === undefined || attempt.over) continue;
        attempt.take(entry.get('worker')?.toString() ?? '?', entry.get('host')?.toString() ?? '?');
        this.following.set(attempt.stream, { attempt, lastId: '0', logBytes: 0 });
      }
      return null;
    }
    const watched = this.queueEvents.get(stream);
    if (watched !== undefined) {
      for (const [id, fields] of entries) {
        watched.lastId = id.toString();
        watched.onEvent(toEntry(fields));
      }
      return null;
    }
    const followed = this.following.get(stream);
    if (followed === undefined) return null;
    const logged = followed.logBytes;
    for (const [id, fields] of entries) {
      followed.lastId = id.toString();
      const entry = toEntry(fields);
      if (fresh(followed, entry)) followed.attempt.apply(entry);
    }
    // An attempt that is over is acknowledged by its executor (its stream deleted); what is
    // written leaves the stream, which is how its worker knows the coordinator keeps up (its
    // window counts log chunks: a few entries of other kinds wait for the acknowledgement).
    const attempt = followed.attempt;
    const flushed = attempt.flushed();
    if (attempt.over) {
      this.following.delete(stream);
      return flushed;
    }
    // A full read (COUNT entries) is trimmed whatever it held.
    if (followed.logBytes === logged && entries.length < COUNT) return flushed;
    const upTo = nextId(followed.lastId);
    void flushed
      .then(() => (attempt.over ? null : this.client.xtrim(stream, 'MINID', upTo)))
      .catch(() => {});
    return flushed;
  }
}

/** An attempt followed: its stream's last id read, and the log bytes applied. */
interface Followed {
  readonly attempt: RemoteAttempt;
  lastId: string;
  logBytes: number;
}

/** False for a log chunk already applied (a worker that lost its connection sends again what it
 * had no reply for); a chunk partly applied keeps only its new bytes. */
function fresh(followed: Followed, entry: Map<string, Buffer>): boolean {
  const data = entry.get('d');
  const at = entry.get('o');
  if (data === undefined || at === undefined || entry.get('t')?.toString() !== 'log') return true;
  const skip = followed.logBytes - Number(at.toString());
  if (skip >= data.length) return false;
  if (skip > 0) entry.set('d', data.subarray(skip));
  followed.logBytes = Number(at.toString()) + data.length;
  return true;
}

function toEntry(fields: Buffer[]): Map<string, Buffer> {
  const entry = new Map<string, Buffer>();
  for (let index = 0; index + 1 < fields.length; index += 2) {
    entry.set((fields[index] as Buffer).toString(), fields[index + 1] as Buffer);
  }
  return entry;
}

/** The stream id right after `id` (MINID keeps ids from it on). */
export function nextId(id: string): string {
  const [ms, seq] = id.split('-');
  return `${ms}-${Number(seq) + 1}`;
}
