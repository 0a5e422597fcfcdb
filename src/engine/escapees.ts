// Jobs' escaped descendants: when a job ends, a sweep stops whatever still carries its marker
// outside its process group, before its completion line is written, so that the line can say so.
// Ends that come while a sweep runs are gathered into the next one: one /proc scan for many jobs.
import {
  JOB_MARKER,
  type JobStart,
  type SweptProcesses,
  sweepMarked,
} from '../process/terminate/sweep.js';

const NOTHING: SweptProcesses = { count: 0, signals: [] };

interface Pending {
  readonly name: string;
  readonly resolve: (swept: SweptProcesses) => void;
  readonly started: JobStart | null;
}

/** Sweeps ended jobs' markers, in batches, and tells each job what was stopped of it. */
export class EscapeeSweeper {
  // marker -> the job's name, its start and who waits for its sweep; a batch is dropped once
  // swept, so a run keeps nothing of the jobs that ended (100,000 of them).
  private pending = new Map<string, Pending>();
  private running: Promise<void> | null = null;

  /** `warn` is told which job left processes outside its group. */
  constructor(
    private readonly graceMs: number,
    private readonly warn: (message: string) => void,
    private readonly force: AbortSignal | null = null,
  ) {}

  /** The marker value of a job: a job's processes carry PAREX_JOB_ID=<marker>. */
  static marker(runId: string, name: string): string {
    return `${runId}/${name}`;
  }

  /** Sweeps a job that has ended; resolves with what was stopped of it. `started` (its pid and
   * start, ms) lets a sweep of short jobs look at newer processes only. */
  jobEnded(name: string, marker: string, started: JobStart | null = null): Promise<SweptProcesses> {
    const swept = new Promise<SweptProcesses>((resolve) =>
      this.pending.set(marker, { name, resolve, started }),
    );
    this.running ??= this.loop();
    return swept;
  }

  /** Waits for every sweep asked for so far. */
  async drain(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  private async loop(): Promise<void> {
    while (this.pending.size > 0) {
      // Let the jobs that end in the same turn of the event loop join.
      await new Promise(setImmediate);
      const batch = this.pending;
      this.pending = new Map();
      const started = [...batch.values()].map((job) => job.started);
      const since = started.includes(null) ? null : (started as JobStart[]);
      const markers = new Set(batch.keys());
      const found = await sweepMarked(JOB_MARKER, markers, this.graceMs, this.force, since);
      for (const [marker, { name, resolve }] of batch) {
        const swept = found.get(marker) ?? NOTHING;
        if (swept.count > 0) this.warn(escapeeWarning(name, swept));
        resolve(swept);
      }
    }
    this.running = null;
  }
}

/** The warning a run prints for a job whose processes left its group and were stopped. */
export function escapeeWarning(name: string, swept: SweptProcesses): string {
  const processes = `${swept.count} process${swept.count === 1 ? '' : 'es'}`;
  return `[parex] job ${name} left ${processes} outside its process group (setsid or double fork); stopped them (${swept.signals.join(', then ')})`;
}
