// One attempt as the coordinator follows it: queued, taken by a worker, started, its stream's
// entries applied in order (log bytes appended to LOG_DIR/NAME.log, signals, files), and its end
// (or its loss) turned into the outcome the engine classifies.
import type { AttemptOutcome, AttemptRequest } from '../engine/executor.js';
import type { StopReason } from '../model/outcome.js';
import { failedToStart } from '../process/run-process.js';
import { AttemptLog } from './attempt-log.js';
import { unpackFiles } from './files.js';
import type { RemoteOutcome } from './protocol.js';
import { writeSide } from './side-files.js';
import { type SweepResult, SweepWait } from './sweep-wait.js';
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
  /** What the worker's sweep stopped of the job outside its group (told after its end), or
   * why that is unknown; null until the attempt has ended. */
  sweep: SweepResult | null = null;
  /** Settles once the coordinator's copy of the log is written and closed (after the outcome);
   * rejects when it could not be written. */
  written: Promise<void> = Promise.resolve();
  private resolve: (outcome: AttemptOutcome) => void = () => {};
  private log: AttemptLog | null = null;
  /** Why an output the worker sent back could not be written here (the attempt then fails). */
  private outputsError: string | null = null;
  private started: { pid: number; at: Date } | null = null;
  private settled = false;
  private readonly sweepWait = new SweepWait();
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
    /** Where each side file (last message) the worker sends back belongs, by its name. */
    private readonly sides: ReadonlyMap<string, string> = new Map(),
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
    this.log = new AttemptLog(this.request.logPath);
  }

  /** Applies one entry of the job's stream. */
  apply(entry: Entry): void {
    if (this.settled) return;
    const type = text(entry, 't');
    if (type === 'log') {
      const data = entry.get('d');
      if (data !== undefined) this.log?.add(data);
    } else if (type === 'start') {
      this.started = { pid: Number(text(entry, 'pid')), at: this.startTime(text(entry, 'at')) };
      this.request.onSpawn(this.started.pid, this.started.at, this.fields());
    } else if (type === 'signal') {
      this.request.onSignal(
        text(entry, 'signal') as NodeJS.Signals,
        text(entry, 'reason') as StopReason | 'leftovers',
      );
    } else if (type === 'file' || type === 'side') {
      const data = entry.get('d')?.toString('latin1') ?? '';
      const file = { path: text(entry, 'p'), mode: Number(text(entry, 'm')), data };
      const problem =
        type === 'file' ? unpackFiles(this.filesRoot, [file]) : writeSide(this.sides, file);
      this.outputsError ??= problem;
    } else if (type === 'end') {
      const remote = JSON.parse(text(entry, 'r')) as Partial<RemoteOutcome>;
      // The outcome waits for the log's last bytes, as a local run's ends after its process,
      // for the escapee sweep told after the end, and, for an isolated job, for its commit.
      const sweep = this.sweepWait.wait(remote, this.taken?.worker ?? '(unknown)');
      void this.flushed().then(async () => {
        const extra = this.exchange === null ? null : await this.exchange.finish(remote);
        this.end(remote, extra, await sweep);
      });
    } else if (type === 'swept') {
      this.sweepWait.tell(text(entry, 'r'));
    } else {
      this.exchange?.apply(type, entry);
    }
  }

  /** Writes the log entries applied so far; resolves once they are written. */
  flushed(): Promise<void> {
    return this.log?.flush() ?? Promise.resolve();
  }

  /** Records the attempt lost: its worker died or stopped answering. */
  lose(reason: string): void {
    if (this.settled) return;
    // The end is in hand: it is recorded as told, the sweep that was to follow unknown.
    if (this.sweepWait.waiting) {
      this.sweepWait.giveUp(reason);
      return;
    }
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

  /** The attempt left the queue before any worker took it: cancelled (not started), or stopped
   * for `why` (budget), which is then its outcome, as for a job stopped while it runs. */
  removed(why: StopReason | null = null): void {
    if (why === null) this.settle({ kind: 'not-started' });
    else this.settle({ kind: 'ran', ...failedToStart(new Date(), null), stopReason: why });
  }

  private end(remote: Partial<RemoteOutcome>, extra: ExchangeEnd | null, sweep: SweepResult) {
    if (this.settled) return;
    this.sweep = sweep;
    if (remote.notStarted === true) {
      this.settle({ kind: 'not-started' });
      return;
    }
    const at = this.started?.at ?? new Date();
    const unknown = 'unknown' in sweep ? { leftovers_unknown: sweep.unknown } : {};
    const base = {
      kind: 'ran' as const,
      ...failedToStart(at, null),
      fields: { ...this.fields(), ...extra?.fields, ...unknown },
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
    const written = this.log?.written ?? 0;
    const short = remote.logBytes !== undefined && remote.logBytes !== written;
    const writeError =
      this.log?.error == null
        ? ''
        : ` (${this.log.error}; its worker keeps its copy of the whole log, in its workdir's .parex/worker-logs/, for an hour)`;
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
      ...(this.outputsError === null ? {} : { failure: this.outputsError }),
      ...(extra?.failure === undefined ? {} : { failure: extra.failure }),
      ...(short
        ? {
            failure: `the log arrived incomplete: ${written} of ${remote.logBytes} bytes${writeError}`,
          }
        : {}),
    });
  }

  /** When the job started: the worker's clock when it agrees with this one's (the time lies
   * between the enqueueing and now), else when the coordinator heard of the start. */
  private startTime(worker: string): Date {
    const at = Number(worker);
    const now = Date.now();
    return new Date(at >= this.enqueuedAt && at <= now ? at : now);
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
    if (this.settled) return;
    this.settled = true;
    // The log is closed before the worker may drop its copy; the engine goes on meanwhile (its
    // bytes are written already). A copy that could not be written (a full disk) is not
    // acknowledged: the worker keeps the whole log until the stream expires.
    const log = this.log;
    this.written = (log?.close() ?? Promise.resolve()).then(() => {
      if (log?.error != null) throw new Error(`the log could not be written: ${log.error}`);
    });
    this.written.catch(() => {}); // its one reader, the acknowledgements, handles it
    this.log = null;
    this.resolve(outcome);
  }
}

function text(entry: Entry, field: string): string {
  return entry.get(field)?.toString('utf8') ?? '';
}
