// The coordinator's executor: each attempt the engine asks for becomes a BullMQ job in the
// queue of its tag, and the engine gets back what the worker reports, so the manifest, the logs
// and the history are written here only, as in a local run. Lost workers (BullMQ's stalled
// check), a silent worker (the backstop deadline), cancels and a lost Redis end in a true record.
import { hostname } from 'node:os';
import path from 'node:path';

import type { Queue } from 'bullmq';

import type { ExecutorFactory, JobExecutor } from '../engine/executor.js';
import type { GroupPlan, PlannedJob } from '../options/normalize.js';
import { matchesPattern } from '../options/secrets.js';
import { failedToStart } from '../process/run-process.js';
import type { SweptProcesses } from '../process/terminate/sweep.js';
import { openClient, probeRedis } from './connection.js';
import { packFiles } from './files.js';
import { Heartbeat } from './heartbeat.js';
import { LogReader } from './log-reader.js';
import { PoolQueues } from './pool-queues.js';
import {
  bullJobId,
  CANCEL_CHANNEL,
  type JobPayload,
  PROTOCOL_VERSION,
  runKeys,
} from './protocol.js';
import type { RedisAddress } from './redis-url.js';
import { RemoteAttempt } from './remote-attempt.js';
import { BACKSTOP_MARGIN_MS } from './timing.js';
import { splitKey } from './worker-watch.js';
import { BundleExchange, workspacePayload } from './workspace-exchange.js';
import { WORKSPACE_MARGIN_MS } from './workspace-protocol.js';

/** How a run uses the pool. */
export interface PoolSettings {
  readonly redis: RedisAddress;
  /** Patterns of variables of this environment that jobs get (their values travel in payloads). */
  readonly passEnv: readonly string[];
}

/** The executor factory of a pooled run. */
export function poolExecutor(settings: PoolSettings): ExecutorFactory {
  return async (plan) => {
    await probeRedis(settings.redis, `parex with --redis ${settings.redis.shown}`);
    return new Coordinator(settings, plan, await Heartbeat.claim(settings.redis, plan));
  };
}

class Coordinator implements JobExecutor {
  readonly remote = true;
  private readonly client;
  private readonly keys;
  private readonly attempts = new Map<string, RemoteAttempt>();
  private readonly byJobId = new Map<string, RemoteAttempt>();
  private readonly queueOf = new Map<string, Queue>();
  private readonly queues: PoolQueues;
  private readonly reader: LogReader;

  constructor(
    private readonly settings: PoolSettings,
    private readonly plan: GroupPlan,
    private readonly heartbeat: Heartbeat,
  ) {
    const warn = () => {};
    this.client = openClient(settings.redis, `parex:${plan.runId}`, warn);
    this.keys = runKeys(plan.runId);
    this.reader = new LogReader(
      openClient(settings.redis, `parex:${plan.runId}:reader`, warn),
      this.client,
      this.keys.events,
      (key) => this.attempts.get(key),
    );
    this.queues = new PoolQueues(
      settings.redis,
      `parex:${plan.runId}`,
      (jobId, why) => {
        const attempt = this.byJobId.get(jobId);
        attempt?.lose(why(attempt.taken?.worker ?? '(unknown)'));
      },
      plan.onWarning,
    );
    heartbeat.onGiveUp((why) => {
      for (const attempt of this.attempts.values()) attempt.lose(why);
    });
    plan.signal?.addEventListener('abort', () => this.cancelRun(false), { once: true });
    plan.forceSignal?.addEventListener('abort', () => this.cancelRun(true), { once: true });
  }

  async execute(job: PlannedJob, request: Parameters<JobExecutor['execute']>[1]) {
    const key = `${job.name}.${job.attempt}`;
    const jobId = bullJobId(this.plan.runId, job.name, job.attempt);
    const cwd = request.cwd;
    const relative = path.relative(this.plan.cwd, cwd);
    const filesRoot = relative.startsWith('..') || path.isAbsolute(relative) ? this.plan.cwd : cwd;
    const travel = job.workspace;
    const workspace =
      travel === undefined ? null : workspacePayload(travel, this.plan.cwd, this.plan.onWarning);
    const exchange =
      travel === undefined
        ? null
        : new BundleExchange(this.client, this.keys.jobBundle(job.name, job.attempt), travel);
    const attempt = new RemoteAttempt(
      key,
      jobId,
      this.keys.jobStream(job.name, job.attempt),
      request,
      filesRoot,
      process.pid,
      exchange,
    );
    // An isolated job's files are in its start commit and come back in its commit.
    const inputs = workspace === null ? packFiles(filesRoot, job.inputs, 'input') : workspace;
    if ('error' in inputs) {
      exchange?.discard();
      const error = Object.assign(new Error(inputs.error), { code: 'EFBIG' });
      return { kind: 'ran' as const, ...failedToStart(new Date(), error) };
    }
    const payload: JobPayload = {
      v: PROTOCOL_VERSION,
      run: this.plan.runId,
      name: job.name,
      attempt: job.attempt,
      coordinator: { host: hostname(), pid: process.pid },
      argv: job.argv,
      input: job.input === null ? null : Buffer.from(job.input).toString('base64'),
      env: { ...this.passedEnv(), ...job.env },
      cwd: filesRoot === cwd && workspace === null ? relative : '',
      timeoutMs: request.timeoutMs,
      idleMs: request.idleMs,
      graceMs: request.graceMs,
      stopSignals: request.stopSignals,
      inputs: 'files' in inputs ? inputs.files : [],
      outputs: 'files' in inputs ? relativeInside(filesRoot, job.outputs) : [],
      ...('payload' in inputs ? { workspace: inputs.payload } : {}),
    };
    this.attempts.set(key, attempt);
    this.byJobId.set(jobId, attempt);
    const backstop = this.backstop(attempt, request, travel?.setupTimeoutSec);
    const sending = (async () => {
      const queue = await this.queues.queueFor(job.runsOn);
      this.queueOf.set(jobId, queue);
      attempt.queued();
      await queue.add(job.name, payload, { jobId, removeOnComplete: true, removeOnFail: true });
      if (this.plan.signal?.aborted === true) void this.cancelAttempt(attempt, false);
    })();
    // Sending waits for Redis while it is away; the attempt may end first (Redis given up on).
    sending.catch((error: Error) =>
      attempt.lose(`could not send the job to the pool: ${error.message}`),
    );
    if (this.heartbeat.lostReason !== null) attempt.lose(this.heartbeat.lostReason);
    try {
      return await attempt.done;
    } finally {
      clearInterval(backstop);
      exchange?.discard();
      this.reader.forget(attempt);
      this.attempts.delete(key);
      this.byJobId.delete(jobId);
      this.queueOf.delete(jobId);
      if (attempt.taken !== null) void this.client.del(attempt.stream).catch(() => {});
    }
  }

  // A worker sweeps its own jobs' escapees; nothing of them runs here.
  async jobEnded(): Promise<SweptProcesses> {
    return { count: 0, signals: [] };
  }

  async close(): Promise<void> {
    await this.reader.stop();
    await this.heartbeat.release();
    await this.queues.close();
    this.client.disconnect();
  }

  /** Gives up on an attempt that has not ended within its timeout, grace and a margin (and, for
   * an isolated job, its set-up's timeout and the time its git objects may take to travel). */
  private backstop(
    attempt: RemoteAttempt,
    request: Parameters<JobExecutor['execute']>[1],
    setupTimeoutSec?: number,
  ) {
    if (request.timeoutMs === 0) return undefined;
    const travel = setupTimeoutSec === undefined ? 0 : WORKSPACE_MARGIN_MS + setupTimeoutSec * 1000;
    const limit =
      request.timeoutMs +
      request.graceMs * request.stopSignals.length +
      BACKSTOP_MARGIN_MS +
      travel;
    const timer = setInterval(() => {
      const taken = attempt.taken;
      if (taken === null || Date.now() - taken.at < limit) return;
      void this.cancelAttempt(attempt, true);
      attempt.lose(
        `no end from worker ${taken.worker} within the timeout, the grace and ${BACKSTOP_MARGIN_MS / 1000}s`,
      );
    }, 1000);
    return timer;
  }

  private async cancelAttempt(attempt: RemoteAttempt, force: boolean): Promise<void> {
    try {
      const queue = this.queueOf.get(attempt.jobId);
      if (attempt.taken === null && queue !== undefined) {
        if ((await queue.remove(attempt.jobId)) === 1) return attempt.removed();
      }
      await this.client.set(
        this.keys.jobCancel(...splitKey(attempt.key)),
        force ? 'force' : 'cancel',
        'EX',
        3600,
      );
      await this.client.publish(
        CANCEL_CHANNEL,
        JSON.stringify({ run: this.plan.runId, job: attempt.key, force }),
      );
    } catch {}
  }

  /** Cancels the run: queued jobs leave the queue, every worker stops the running ones. One
   * listener for the run, not one per job. */
  private cancelRun(force: boolean): void {
    for (const attempt of this.attempts.values()) {
      if (!force && attempt.taken === null) void this.cancelAttempt(attempt, false);
    }
    void this.client
      .set(this.keys.cancel, force ? 'force' : 'cancel', 'EX', 3600)
      .then(() =>
        this.client.publish(CANCEL_CHANNEL, JSON.stringify({ run: this.plan.runId, force })),
      )
      .catch(() => {});
  }

  private passedEnv(): Record<string, string> {
    const passed: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.plan.env)) {
      if (
        value !== undefined &&
        this.settings.passEnv.some((pattern) => matchesPattern(name, pattern))
      )
        passed[name] = value;
    }
    return passed;
  }
}

/** `paths` relative to `root`, leaving out those outside it (they cannot travel). */
function relativeInside(root: string, paths: readonly string[]): string[] {
  return paths
    .map((file) => path.relative(root, path.resolve(root, file)))
    .filter((file) => !file.startsWith('..') && !path.isAbsolute(file));
}
