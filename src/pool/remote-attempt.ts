// One attempt as the coordinator follows it: queued, taken by a worker, started, its stream's
// entries applied in order (log bytes appended to LOG_DIR/NAME.log, signals, files), and its end
// (or its loss) turned into the outcome the engine classifies.
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';

import type { AttemptOutcome, AttemptRequest } from '../engine/executor.js';
import type { StopReason } from '../model.js';
import { failedToStart } from '../process/run-process.js';
import { unpackFiles } from './files.js';
import type { RemoteOutcome } from './protocol.js';
import type { BundleExchange, ExchangeEnd } from './workspace-exchange.js';

/** Who took an attempt, and when the coordinator heard of it. */
interface Taken {
  readonly worker: string;
  readonly host: string;
  readonly at: number;
}

/** A stream entry's fields, by name. */
export type Entry = ReadonlyMap<string, Buffer>;

/** An attempt in the pool, from its enqueueing to its outcome. */
export class RemoteAttempt {
  readonly done: Promise<AttemptOutcome>;
  taken: Taken | null = null;
  private resolve: (outcome: AttemptOutcome) => void = () => {};
  private fd: number | null = null;
  private written = 0;
  private started: { pid: number; at: Date } | null = null;
  private settled = false;
  private enqueuedAt = Date.now();

  /** `filesRoot` is where the job's outputs land (its cwd on the coordinator). */
  constructor(
    readonly key: string,
    readonly jobId: string,
    readonly stream: string,
    private readonly request: AttemptRequest,
    private readonly filesRoot: string,
    private readonly coordinatorPid: number,
    /** An isolated attempt's exchange of git objects with its worker. */
    private readonly exchange: BundleExchange | null = null,
  ) {
    this.done = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  /** True once the outcome is known. */
  get over(): boolean {
    return this.settled;
  }

  /** The job is being added to its queue: its time in the queue starts. */
  queued(): void {
    this.enqueuedAt = Date.now();
  }

  /** The worker took the job: the log file starts now (truncated, as a local run's). */
  take(worker: string, host: string): void {
    if (this.taken !== null || this.settled) return;
    this.taken = { worker, host, at: Date.now() };
    this.fd = openSync(this.request.logPath, 'w');
  }

  /** Applies one entry of the job's stream. */
  apply(entry: Entry): void {
    if (this.settled) return;
    const type = text(entry, 't');
    if (type === 'log') {
      const data = entry.get('d');
      if (data !== undefined && this.fd !== null) {
        writeSync(this.fd, data);
        this.written += data.length;
      }
    } else if (type === 'start') {
      this.started = { pid: Number(text(entry, 'pid')), at: new Date() };
      this.request.onSpawn(this.started.pid, this.started.at, this.fields());
    } else if (type === 'signal') {
      this.request.onSignal(
        text(entry, 'signal') as NodeJS.Signals,
        text(entry, 'reason') as StopReason | 'leftovers',
      );
    } else if (type === 'file') {
      const data = entry.get('d')?.toString('latin1') ?? '';
      unpackFiles(this.filesRoot, [
        { path: text(entry, 'p'), mode: Number(text(entry, 'm')), data },
      ]);
    } else if (type === 'end') {
      const remote = JSON.parse(text(entry, 'r')) as Partial<RemoteOutcome>;
      if (this.exchange === null) this.end(remote);
      else void this.exchange.finish(remote).then((extra) => this.end(remote, extra));
    } else {
      this.exchange?.apply(type, entry);
    }
  }

  /** Records the attempt lost: its worker died or stopped answering. */
  lose(reason: string): void {
    if (this.settled) return;
    const at = this.started?.at ?? new Date();
    this.settle({
      kind: 'ran',
      ...failedToStart(at, null),
      pid: this.started?.pid ?? null,
      durationMs: Date.now() - at.getTime(),
      endedAt: new Date(),
      lost: reason,
      fields: this.fields(),
    });
  }

  /** The attempt left the queue before any worker took it. */
  removed(): void {
    if (!this.settled) this.settle({ kind: 'not-started' });
  }

  private end(remote: Partial<RemoteOutcome>, extra: ExchangeEnd | null = null): void {
    if (this.settled) return;
    if (remote.notStarted === true) {
      this.settle({ kind: 'not-started' });
      return;
    }
    const at = this.started?.at ?? new Date();
    const base = {
      kind: 'ran' as const,
      ...failedToStart(at, null),
      fields: { ...this.fields(), ...extra?.fields },
    };
    if (extra?.setupFailed !== undefined) {
      this.settle({ ...base, setupFailed: extra.setupFailed });
      return;
    }
    if (remote.refused !== undefined) {
      const error = Object.assign(
        new Error(`worker ${this.taken?.worker} refused the job: ${remote.refused}`),
        { code: 'EREFUSED' },
      );
      this.settle({ ...base, spawnError: error });
      return;
    }
    if (remote.handedBack !== undefined) {
      this.lose(remote.handedBack);
      return;
    }
    const durationMs = remote.durationMs ?? 0;
    const spawnError =
      remote.spawnError === null || remote.spawnError === undefined
        ? null
        : Object.assign(new Error(remote.spawnError.message), remote.spawnError);
    const short = remote.logBytes !== undefined && remote.logBytes !== this.written;
    this.settle({
      ...base,
      pid: remote.pid ?? null,
      durationMs,
      endedAt: new Date(at.getTime() + durationMs),
      exitCode: remote.exitCode ?? null,
      signal: remote.signal ?? null,
      stopReason: remote.stopReason ?? null,
      signalsSent: remote.signalsSent ?? [],
      reapedLeftovers: remote.reapedLeftovers ?? false,
      spawnError,
      ...(remote.outputsError === undefined ? {} : { failure: remote.outputsError }),
      ...(extra?.failure === undefined ? {} : { failure: extra.failure }),
      ...(short
        ? { failure: `the log arrived incomplete: ${this.written} of ${remote.logBytes} bytes` }
        : {}),
    });
  }

  private fields(): Record<string, unknown> {
    const taken = this.taken;
    return taken === null
      ? { worker: null, queue_ms: null }
      : {
          worker: { name: taken.worker, host: taken.host },
          queue_ms: taken.at - this.enqueuedAt,
          coordinator_pid: this.coordinatorPid,
        };
  }

  private settle(outcome: AttemptOutcome): void {
    this.settled = true;
    if (this.fd !== null) {
      fdatasyncSync(this.fd);
      closeSync(this.fd);
      this.fd = null;
    }
    this.resolve(outcome);
  }
}

function text(entry: Entry, field: string): string {
  return entry.get(field)?.toString('utf8') ?? '';
}
