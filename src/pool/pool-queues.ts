// The coordinator's queues, one per tag, each opened on first use, with its BullMQ events stream
// read for BullMQ's verdicts on jobs a worker could not finish (stalled: its worker died;
// failed). The coordinator's log reader reads that stream in its one XREAD with the others:
// BullMQ's QueueEvents would be a connection and an XREAD of its own, and decode every event of
// every job (added, waiting, active, completed) into an object, where two kinds matter.
import { setTimeout as sleep } from 'node:timers/promises';

import type { JobsOptions, Queue } from 'bullmq';

import { redisOptions } from './connection.js';
import type { QueueEventHandler } from './log-reader.js';
import { loadBullmq, type RedisClient } from './modules.js';
import { DEFAULT_TAG, QUEUE_PREFIX } from './protocol.js';
import type { RedisAddress } from './redis-url.js';

/** How long closing waits for Redis. */
const CLOSE_WAIT_MS = 2000;
/** How long a failed job's stream may still take to arrive before its attempt is lost. */
const FAILED_GRACE_MS = 3000;
/** Jobs added to a queue in one write, at most. */
const ADD_BATCH = 100;

/** A job on its way into a queue. */
interface Adding {
  readonly name: string;
  readonly data: unknown;
  readonly opts: JobsOptions;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** Told when BullMQ gives up on a job: `why` in words, given the worker's name if known. */
export type LostHandler = (jobId: string, why: (worker: string) => string) => void;

/** Has BullMQ's events stream `stream` read from after `fromId` on (the run's log reader). */
export type WatchEvents = (stream: string, fromId: string, onEvent: QueueEventHandler) => void;

/** The queues of one run. */
export class PoolQueues {
  private readonly queues = new Map<string, Promise<Queue>>();
  /** Every BullMQ object opened, to close even those whose opening never finished. */
  private readonly opened: Queue[] = [];
  /** The jobs of this turn of the event loop still to add, by queue. */
  private readonly adding = new Map<Queue, Adding[]>();

  constructor(
    private readonly address: RedisAddress,
    private readonly connectionName: string,
    private readonly onLost: LostHandler,
    private readonly warn: (message: string) => void,
    private readonly client: RedisClient,
    private readonly watchEvents: WatchEvents,
  ) {}

  /** The queue for a job's tags: the one of them with the least work per worker. */
  async queueFor(tags: readonly string[]): Promise<Queue> {
    const candidates = tags.length === 0 ? [DEFAULT_TAG] : tags;
    if (candidates.length === 1) return this.queue(candidates[0] as string);
    let best: { load: number; queue: Queue } | null = null;
    for (const tag of candidates) {
      const queue = await this.queue(tag);
      const workers = await queue.getWorkersCount();
      const load = workers === 0 ? Number.POSITIVE_INFINITY : (await queue.count()) / workers;
      if (best === null || load < best.load) best = { load, queue };
    }
    return (best as { queue: Queue }).queue;
  }

  /** Adds a job to `queue`: the jobs added in one turn of the event loop go in one write
   * (addBulk, at most ADD_BATCH at once), which at the start of a run is every job. */
  add(queue: Queue, name: string, data: unknown, opts: JobsOptions): Promise<void> {
    let batch = this.adding.get(queue);
    if (batch === undefined || batch.length >= ADD_BATCH) {
      const fresh: Adding[] = [];
      batch = fresh;
      this.adding.set(queue, fresh);
      setImmediate(() => void this.addAll(queue, fresh));
    }
    const into = batch;
    return new Promise((resolve, reject) => into.push({ name, data, opts, resolve, reject }));
  }

  private async addAll(queue: Queue, batch: Adding[]): Promise<void> {
    if (this.adding.get(queue) === batch) this.adding.delete(queue);
    try {
      await queue.addBulk(batch.map(({ name, data, opts }) => ({ name, data, opts })));
      for (const job of batch) job.resolve();
    } catch {
      // One by one, so that each job hears its own error (a job id already added is kept).
      for (const job of batch) {
        queue.add(job.name, job.data, job.opts).then(() => job.resolve(), job.reject);
      }
    }
  }

  /** Closes every queue, then drops what did not close in time. */
  async close(): Promise<void> {
    const closing = this.opened.map((connection) => connection.close());
    await Promise.race([Promise.allSettled(closing), sleep(CLOSE_WAIT_MS, null, { ref: false })]);
    const dropping = this.opened.map((connection) => connection.disconnect());
    await Promise.race([Promise.allSettled(dropping), sleep(CLOSE_WAIT_MS, null, { ref: false })]);
  }

  /** An entry of a queue's BullMQ events stream: a stalled or failed job is told as lost. */
  private verdict(fields: Map<string, Buffer>): void {
    const event = fields.get('event')?.toString();
    if (event !== 'stalled' && event !== 'failed') return;
    const jobId = fields.get('jobId')?.toString() ?? '';
    // A job of a worker that died: BullMQ's stalled check found its lock gone.
    if (event === 'stalled') {
      this.onLost(jobId, (worker) => `worker ${worker} lost`);
      return;
    }
    const failedReason = fields.get('failedReason')?.toString() ?? '';
    // Its stream may still be on its way; only an attempt still open after that is lost.
    setTimeout(
      () => this.onLost(jobId, (worker) => `failed on worker ${worker}: ${failedReason}`),
      FAILED_GRACE_MS,
    ).unref();
  }

  private queue(tag: string): Promise<Queue> {
    let queue = this.queues.get(tag);
    if (queue === undefined) {
      queue = this.open(tag);
      this.queues.set(tag, queue);
    }
    return queue;
  }

  private async open(tag: string): Promise<Queue> {
    const { Queue } = loadBullmq();
    const name = `${this.connectionName}:${tag}`;
    const queue = new Queue(tag, {
      connection: redisOptions(this.address, name),
      prefix: QUEUE_PREFIX,
    });
    this.opened.push(queue);
    queue.on('error', () => {});
    // Events are read from its last entry now on (all of them if it has none): the queue is
    // used only once that is known, so that no verdict on a job of this run is missed.
    const stream = `${QUEUE_PREFIX}:${tag}:events`;
    const last = await this.client.xrevrange(stream, '+', '-', 'COUNT', 1);
    this.watchEvents(stream, last[0]?.[0] ?? '0-0', (fields) => this.verdict(fields));
    if ((await queue.getWorkersCount()) === 0) {
      this.warn(
        `[parex] no worker serves the queue "${tag}" yet: its jobs wait until one does (parex worker --redis URL${tag === DEFAULT_TAG ? '' : ` --tags ${tag}`})`,
      );
    }
    return queue;
  }
}
