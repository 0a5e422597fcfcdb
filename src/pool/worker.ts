// `parex worker`: joins the pool. One BullMQ worker per queue it serves (its tags and
// "default"), all sharing its --concurrency, its fork server (also the watchdog of every job it
// runs) and its escapee sweeper. SIGTERM (or SIGINT): no new jobs; running ones get their grace
// to finish, then are stopped and handed back; a second signal stops them at once.
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Worker } from 'bullmq';

import { EscapeeSweeper } from '../engine/escapees.js';
import { withoutVariables } from '../options/secrets.js';
import { directLauncher, forkServerLauncher } from '../process/launcher.js';
import { openClient, probeRedis, redisOptions } from './connection.js';
import { gatheredPrint } from './gathered-print.js';
import { loadBullmq, type RedisClient } from './modules.js';
import { DEFAULT_TAG, QUEUE_PREFIX } from './protocol.js';
import type { RedisAddress } from './redis-url.js';
import { runRemoteJob, type WorkerContext } from './run-remote.js';
import { RunningJobs } from './running-jobs.js';
import { Slots } from './slots.js';
import { lockDurationMs, stalledIntervalMs } from './timing.js';
import { makeWorkdir } from './workdir.js';
import { WorkerName } from './worker-name.js';
import { catchWorkerSignals } from './worker-signals.js';
import { type KeptLog, watchRuns } from './worker-watch.js';

/** How long shutting down waits for Redis beyond the jobs' grace. */
const CLOSE_WAIT_MS = 5000;
/** Jobs whose loss from Redis a queue remembers having told (so as to tell it once). */
const GONE_KEPT = 1000;

/** What `parex worker` was asked. */
export interface WorkerOptions {
  readonly redis: RedisAddress;
  readonly concurrency: number;
  readonly name: string;
  readonly tags: readonly string[];
  readonly workdir: string;
  readonly forkServer: boolean;
  /** The grace a running job gets to finish when the worker shuts down. */
  readonly graceMs: number;
  readonly print: (line: string) => void;
}

/** Runs the worker until SIGTERM or SIGINT; resolves with its exit status. */
export async function runWorker(options: WorkerOptions): Promise<number> {
  await probeRedis(options.redis, 'parex worker');
  const printing = gatheredPrint(options.print);
  const { print } = printing;
  const id = `worker-${options.name}-${process.pid}`;
  const host = hostname();
  // One line per outage, not one per reconnection attempt.
  let down = false;
  const onError = (error: Error) => {
    if (!down) print(`[parex] Redis: ${error.message}; reconnecting with backoff`);
    down = true;
  };
  const client = openClient(options.redis, `parex:${options.name}`, onError, true);
  client.on('ready', () => {
    if (down) print('[parex] Redis: reconnected');
    down = false;
  });
  // Its name is claimed before anything is written or taken (exit 2 when another worker has it).
  const name = await claimName(client, options, host);
  name.keep(print);
  const subscriber = openClient(options.redis, `parex:${options.name}:cancels`, onError);
  const launcher = options.forkServer ? await forkServerLauncher(id, print) : directLauncher(id);
  const jobs = new RunningJobs();
  const kept = new Set<KeptLog>();
  const context: WorkerContext = {
    name: options.name,
    host,
    id,
    workdir: options.workdir,
    client,
    launcher,
    // A job's sweep result follows its end (it goes on the coordinator's completion line); the
    // ends that come while a sweep runs share the next /proc scan, as in a local run.
    sweeper: new EscapeeSweeper(options.graceMs, print),
    graceMs: options.graceMs,
    telling: new Set(),
    jobs,
    kept,
    env: withoutVariables(process.env, ['PAREX_REDIS']),
    print,
    printSoon: printing.soon,
    redactors: new Map(),
  };
  const stopWatching = watchRuns(client, subscriber, jobs, kept, print);
  const queues = [...new Set([...options.tags, DEFAULT_TAG])];
  const slots = new Slots(options.concurrency);
  const workers = queues.map((queue) =>
    startQueueWorker(queue, options, context, slots, () => balance()),
  );
  // The queues share the worker's slots: each may take only what the others leave free.
  const balance = () => {
    const total = workers.reduce((sum, worker) => sum + running(worker), 0);
    for (const worker of workers) {
      const share = Math.max(1, options.concurrency - total + running(worker));
      if (worker.concurrency !== share) worker.concurrency = share;
    }
  };
  const signals = catchWorkerSignals();
  print(
    `[parex] worker ${options.name} on ${context.host}: ${options.concurrency} at once, queues ${queues.join(', ')}, in ${options.workdir}, Redis ${options.redis.shown}`,
  );
  const signal = await signals.first;
  print(
    `[parex] ${signal}: taking no new jobs; ${jobs.size} running get ${options.graceMs / 1000}s to finish`,
  );
  signals.onAgain(() => {
    print('[parex] stopping every job now');
    jobs.handBackAll(`worker ${options.name} shut down`, true);
  });
  const handBack = setTimeout(() => {
    if (jobs.size > 0) print(`[parex] stopping ${jobs.size} job(s) and handing them back`);
    jobs.handBackAll(`worker ${options.name} shut down`, false);
  }, options.graceMs);
  // BullMQ waits for Redis to close; one that is gone must not keep the worker alive.
  const closed = Promise.all(workers.map((worker) => worker.close()));
  await Promise.race([closed, sleep(2 * options.graceMs + CLOSE_WAIT_MS, null, { ref: false })]);
  clearTimeout(handBack);
  await Promise.race([
    Promise.allSettled(workers.map((worker) => worker.close(true))),
    sleep(CLOSE_WAIT_MS, null, { ref: false }),
  ]);
  stopWatching();
  await context.sweeper.drain();
  await Promise.race([
    Promise.allSettled(context.telling),
    sleep(CLOSE_WAIT_MS, null, { ref: false }),
  ]);
  launcher.close();
  await name.release();
  client.disconnect();
  subscriber.disconnect();
  print(`[parex] worker ${options.name} stopped`);
  // Connections BullMQ could not close (Redis gone) would keep the process alive.
  setTimeout(() => process.exit(), CLOSE_WAIT_MS).unref();
  return 0;
}

/** Claims the worker's name, then makes its workdir; neither left behind when either fails. */
async function claimName(
  client: RedisClient,
  options: WorkerOptions,
  host: string,
): Promise<WorkerName> {
  let name: WorkerName | null = null;
  try {
    name = await WorkerName.claim(client, options.name, host, lockDurationMs());
    makeWorkdir(options.workdir);
    return name;
  } catch (error) {
    await name?.release();
    client.disconnect();
    throw error;
  }
}

const activeCounts = new WeakMap<Worker, number>();

function running(worker: Worker): number {
  return activeCounts.get(worker) ?? 0;
}

function startQueueWorker(
  queue: string,
  options: WorkerOptions,
  context: WorkerContext,
  slots: Slots,
  balance: () => void,
): Worker {
  const { Worker } = loadBullmq();
  const worker: Worker = new Worker(
    queue,
    // Three parameters, so that BullMQ hands over the job's AbortSignal.
    async (job, _token, signal) => {
      activeCounts.set(worker, running(worker) + 1);
      balance();
      await slots.take();
      try {
        await runRemoteJob(context, job.data, signal);
      } finally {
        slots.give();
        activeCounts.set(worker, running(worker) - 1);
        balance();
      }
    },
    {
      connection: redisOptions(options.redis, `parex:${options.name}:${queue}`),
      prefix: QUEUE_PREFIX,
      concurrency: options.concurrency,
      name: options.name,
      lockDuration: lockDurationMs(),
      stalledInterval: stalledIntervalMs(),
      // A stalled job is not run again by BullMQ: its coordinator records it lost and retries.
      maxStalledCount: 0,
    },
  );
  // Connection errors are told once by the worker's own client; the queue's others are news.
  const gone = new Set<string>();
  worker.on('error', (error) => {
    if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection is closed/.test(error.message)) return;
    const missing = /^Missing key for job (\S+)\. moveTo/.exec(error.message)?.[1];
    if (missing === undefined) context.print(`[parex] queue ${queue}: ${error.message}`);
    else if (!gone.has(missing)) {
      // BullMQ tells it once per try (completed, then failed): one line per job.
      if (gone.size >= GONE_KEPT) gone.clear();
      gone.add(missing);
      context.print(
        `[parex] queue ${queue}: job ${missing} is no longer in Redis (restarted empty, or the key removed), so its end could not be filed there; its coordinator records the attempt (lost, if its end did not reach it)`,
      );
    }
  });
  return worker;
}
