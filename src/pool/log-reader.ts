// The coordinator's one reader of the pool's streams: the run's events stream (which worker took
// which job) and the stream of every attempt a worker has taken, read together with one blocking
// XREAD on a connection of its own, below ioredis (src/pool/resp/): each log chunk reaches the
// log's writer as a view of the socket's reads, uncopied. What is written is deleted from its
// stream, which is how the worker knows the coordinator keeps up (its window).
import { setTimeout as sleep } from 'node:timers/promises';

import type { RedisClient } from './modules.js';
import type { RedisAddress } from './redis-url.js';
import type { Entry, RemoteAttempt } from './remote-attempt.js';
import { RespConnection } from './resp/connection.js';

/** Entries read from one stream per call. */
const COUNT = 128;
/** How long one XREAD blocks; only closing waits for it. */
const BLOCK_MS = 1000;
/** How long stopping waits for the last XREAD. */
const STOP_WAIT_MS = 1500;
/** The pause before connecting again after a lost connection. */
const RETRY_MS = 200;

type Reply = [Buffer, [Buffer, Buffer[]][]][] | null;

/** Reads the events stream and the taken attempts' streams until `stop`. */
export class LogReader {
  private readonly following = new Map<string, { attempt: RemoteAttempt; lastId: string }>();
  private eventsId = '0';
  private stopped = false;
  private connection: RespConnection | null = null;
  /** Settles once the slabs of the replies applied so far may be read into again. */
  private recycled: Promise<unknown> = Promise.resolve();
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
      const streams = [this.events, ...this.following.keys()];
      const ids = [this.eventsId, ...[...this.following.values()].map((entry) => entry.lastId)];
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
      for (const [name, entries] of reply ?? []) {
        const flushed = this.applyAll(name.toString(), entries);
        if (flushed !== null) flushes.push(flushed);
      }
      this.recycleAfter(this.connection, flushes);
    }
    this.connection?.close();
  }

  /** Once the log chunks read so far are written (and those of every reply before), the slabs
   * they were read into are reused: nothing else keeps a view of a reply after it is applied. */
  private recycleAfter(connection: RespConnection, flushes: Promise<void>[]): void {
    const upTo = connection.slabs.current;
    this.recycled = Promise.all([this.recycled, ...flushes])
      .catch(() => {})
      .then(() => connection.slabs.recycle(upTo));
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
        this.following.set(attempt.stream, { attempt, lastId: '0' });
      }
      return null;
    }
    const followed = this.following.get(stream);
    if (followed === undefined) return null;
    for (const [id, fields] of entries) {
      followed.lastId = id.toString();
      followed.attempt.apply(toEntry(fields));
    }
    // An attempt that is over is acknowledged by its executor (its stream deleted); what is
    // written leaves the stream, which is how its worker knows the coordinator keeps up.
    const attempt = followed.attempt;
    const flushed = attempt.flushed();
    if (attempt.over) {
      this.following.delete(stream);
      return flushed;
    }
    const upTo = nextId(followed.lastId);
    void flushed
      .then(() => (attempt.over ? null : this.client.xtrim(stream, 'MINID', upTo)))
      .catch(() => {});
    return flushed;
  }
}

function toEntry(fields: Buffer[]): Entry {
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
