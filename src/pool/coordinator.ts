// The coordinator's executor: each attempt the engine asks for becomes a BullMQ job in the
// queue of its tag, and the engine gets back what the worker reports, so the manifest, the logs
// and the history are written here only, as in a local run. Lost workers (BullMQ's stalled
// check), a silent worker (the backstop deadline), cancels and a lost Redis end in a true record.
import { setTimeout as sleep } from 'node:timers/promises';

import type { Queue } from 'bullmq';

import { escapeeWarning } from '../engine/escapees.js';
import type { AttemptRequest, ExecutorFactory, JobExecutor } from '../engine/executor.js';
import type { GroupPlan, PlannedJob } from '../options/normalize.js';
import { failedToStart } from '../process/run-process.js';
import type { SweptProcesses } from '../process/terminate/sweep.js';
import { Acknowledgements } from './acks.js';
import { AgentLeases } from './agent-leases.js';
import { watchBackstop } from './backstop.js';
import { RunCancels } from './cancels.js';
import { openClient, probeRedis } from './connection.js';
import { Heartbeat } from './heartbeat.js';
import { buildPayload, passedEnv } from './job-payload.js';
import { LogReader } from './log-reader.js';
import { PoolQueues } from './pool-queues.js';
import { bullJobId, type JobStopReason, runKeys } from './protocol.js';
import type { RedisAddress } from './redis-url.js';
import { RemoteAttempt } from './remote-attempt.js';
import type { SweepResult } from './sweep-wait.js';
import { BundleExchange } from './workspace-exchange.js';

const NOTHING_SWEPT: SweptProcesses = { count: 0, signals: [] };
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
  /** Acknowledgements on their way (a stream deleted once its log is written). */
  private readonly acks;
  private passedOnce: Record<string, string> | null = null;
  /** What the workers' sweeps stopped of ended jobs (or why it is unknown), until the engine
   * asks (by job name). */
  private readonly swept = new Map<string, SweepResult>();

  constructor(
    private readonly settings: PoolSettings,
    private readonly plan: GroupPlan,
    private readonly heartbeat: Heartbeat,
  ) {
    const warn = () => {};
    this.client = openClient(settings.redis, `parex:${plan.runId}`, warn);
    this.keys = runKeys(plan.runId);
    this.acks = new Acknowledgements(this.client);
    this.leases = new AgentLeases(this.client, plan.admission?.agentCaps?.() ?? new Map());
    this.reader = new LogReader(
      settings.redis,
      `parex:${plan.runId}:reader`,
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
      this.client,
      (stream, fromId, onEvent) => this.reader.watchQueue(stream, fromId, onEvent),
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

  async execute(job: PlannedJob, request: AttemptRequest) {
    const key = `${job.name}.${job.attempt}`;
    const jobId = bullJobId(this.plan.runId, job.name, job.attempt);
    this.passedOnce ??= passedEnv(this.plan.env, this.settings.passEnv);
    const built = buildPayload(this.plan, job, request, this.passedOnce);
    if ('error' in built) {
      const error = Object.assign(new Error(built.error), { code: 'EFBIG' });
      return { kind: 'ran' as const, ...failedToStart(new Date(), error) };
    }
    const { payload, filesRoot, sides } = built;
    const travel = job.workspace;
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
      sides,
    );
    this.attempts.set(key, attempt);
    this.byJobId.set(jobId, attempt);
    const backstop = watchBackstop(attempt, request, travel?.setupTimeoutSec, (given) => {
      void this.cancels.attempt(given, 'force');
    });
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
      const opts = { jobId, removeOnComplete: true, removeOnFail: true };
      await this.queues.add(queue, job.name, payload, opts);
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
      if (attempt.sweep !== null) this.swept.set(job.name, attempt.sweep);
      // The worker's acknowledgement, once the log is written here: its copy may go.
      if (attempt.taken !== null) this.acks.add(attempt.stream, attempt.written);
    }
  }

  // A worker sweeps its own jobs' escapees and tells what it stopped after their end (their
  // outcome waits for it); it is recorded and told here as in a local run.
  async jobEnded(name: string): Promise<SweptProcesses> {
    const sweep = this.swept.get(name);
    this.swept.delete(name);
    if (sweep === undefined) return NOTHING_SWEPT;
    if ('unknown' in sweep) {
      this.plan.onWarning(
        `[parex] job ${name}: what its worker's escapee sweep stopped is unknown (${sweep.unknown}); a lost worker's fork server stops the job's processes on its machine`,
      );
      return NOTHING_SWEPT;
    }
    if (sweep.swept.count > 0) this.plan.onWarning(escapeeWarning(name, sweep.swept));
    return sweep.swept;
  }

  async close(): Promise<void> {
    // The last acknowledgements (logs synced, streams deleted), unless Redis is away.
    if (this.client.status === 'ready') {
      await Promise.race([this.acks.settled(), sleep(ACK_WAIT_MS, null, { ref: false })]);
    }
    this.leases.close();
    await this.reader.stop();
    await this.heartbeat.release();
    await this.queues.close();
    this.client.disconnect();
  }
}
