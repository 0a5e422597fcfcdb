// The coordinator's executor: each attempt the engine asks for becomes a BullMQ job in the
// queue of its tag, and the engine gets back what the worker reports, so the manifest, the logs
// and the history are written here only, as in a local run. Lost workers (BullMQ's stalled
// check), a silent worker (the backstop deadline), cancels and a lost Redis end in a true record.
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Queue } from 'bullmq';

import type { ExecutorFactory, JobExecutor } from '../engine/executor.js';
import type { GroupPlan, PlannedJob } from '../options/normalize.js';
import { matchesPattern } from '../options/secrets.js';
import { failedToStart } from '../process/run-process.js';
import type { SweptProcesses } from '../process/terminate/sweep.js';
import { AgentLeases } from './agent-leases.js';
import { RunCancels } from './cancels.js';
import { openClient, probeRedis } from './connection.js';
import { packFiles } from './files.js';
import { Heartbeat } from './heartbeat.js';
import { LogReader } from './log-reader.js';
import { PoolQueues } from './pool-queues.js';
import {
  bullJobId,
  type JobPayload,
  type JobStopReason,
  PROTOCOL_VERSION,
  runKeys,
} from './protocol.js';
import type { RedisAddress } from './redis-url.js';
import { RemoteAttempt } from './remote-attempt.js';
import { BACKSTOP_MARGIN_MS } from './timing.js';
import { BundleExchange, workspacePayload } from './workspace-exchange.js';
import { WORKSPACE_MARGIN_MS } from './workspace-protocol.js';

/** How long closing waits for the last acknowledgements. */
const ACK_WAIT_MS = 10_000;

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
  private readonly leases: AgentLeases;
  private readonly cancels: RunCancels;
  /** Acknowledgements on their way (a stream deleted once its log is on disk). */
  private readonly acks = new Set<Promise<unknown>>();
  private passedOnce: Record<string, string> | null = null;

  constructor(
    private readonly settings: PoolSettings,
    private readonly plan: GroupPlan,
    private readonly heartbeat: Heartbeat,
  ) {
    const warn = () => {};
    this.client = openClient(settings.redis, `parex:${plan.runId}`, warn);
    this.keys = runKeys(plan.runId);
    this.leases = new AgentLeases(this.client, plan.admission?.agentCaps?.() ?? new Map());
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
    // One listener for the run, not one per job.
    this.cancels = new RunCancels(this.client, plan.runId, (jobId) => this.queueOf.get(jobId));
    const cancelRun = (force: boolean) => this.cancels.run(this.attempts.values(), force);
    plan.signal?.addEventListener('abort', () => cancelRun(false), { once: true });
    plan.forceSignal?.addEventListener('abort', () => cancelRun(true), { once: true });
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
      env: { ...this.passed, ...job.env },
      cwd: filesRoot === cwd && workspace === null ? relative : '',
      timeoutMs: request.timeoutMs,
      idleMs: request.idleMs,
      graceMs: request.graceMs,
      stopSignals: request.stopSignals,
      inputs: 'files' in inputs ? inputs.files : [],
      outputs: 'files' in inputs ? relativeInside(filesRoot, job.outputs) : [],
      ...('payload' in inputs ? { workspace: inputs.payload } : {}),
      secretPatterns: this.plan.secretPatterns,
    };
    this.attempts.set(key, attempt);
    this.byJobId.set(jobId, attempt);
    const backstop = this.backstop(attempt, request, travel?.setupTimeoutSec);
    // The engine stops this job alone (its run's budget is spent): its worker's ladder does it.
    const onStop = () => void this.cancels.attempt(attempt, request.stop?.reason as JobStopReason);
    request.stop?.addEventListener('abort', onStop, { once: true });
    const member = `${this.plan.runId}/${key}`;
    const sending = (async () => {
      // A capped agent's job waits here for one of the pool's leases of that agent.
      if (this.leases.capped(job.agent)) {
        const stop = request.stop;
        const stopped = () => this.plan.signal?.aborted === true || stop?.aborted === true;
        if (!(await this.leases.take(job.agent, member, stopped, attempt.done))) {
          attempt.removed(stop?.aborted === true ? (stop.reason as JobStopReason) : null);
          return;
        }
      }
      const queue = await this.queues.queueFor(job.runsOn);
      this.queueOf.set(jobId, queue);
      attempt.queued();
      await queue.add(job.name, payload, { jobId, removeOnComplete: true, removeOnFail: true });
      if (this.plan.signal?.aborted === true) void this.cancels.attempt(attempt, 'cancel');
      else if (request.stop?.aborted === true) onStop();
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
      request.stop?.removeEventListener('abort', onStop);
      this.leases.release(member);
      exchange?.discard();
      this.reader.forget(attempt);
      this.attempts.delete(key);
      this.byJobId.delete(jobId);
      this.queueOf.delete(jobId);
      // The worker's acknowledgement, once the log is on disk here: its copy may go.
      if (attempt.taken !== null) {
        const ack = attempt.durable.then(() => this.client.del(attempt.stream)).catch(() => {});
        this.acks.add(ack);
        void ack.finally(() => this.acks.delete(ack));
      }
    }
  }

  // A worker sweeps its own jobs' escapees; nothing of them runs here.
  async jobEnded(): Promise<SweptProcesses> {
    return { count: 0, signals: [] };
  }

  async close(): Promise<void> {
    // The last acknowledgements (logs synced, streams deleted), unless Redis is away.
    if (this.client.status === 'ready') {
      const acked = Promise.allSettled(this.acks);
      await Promise.race([acked, sleep(ACK_WAIT_MS, null, { ref: false })]);
    }
    this.leases.close();
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
      void this.cancels.attempt(attempt, 'force');
      attempt.lose(
        `no end from worker ${taken.worker} within the timeout, the grace and ${BACKSTOP_MARGIN_MS / 1000}s`,
      );
    }, 1000);
    return timer;
  }

  /** The variables of this environment that --pass-env names, chosen once per run. */
  private get passed(): Record<string, string> {
    this.passedOnce ??= this.passedEnv();
    return this.passedOnce;
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
