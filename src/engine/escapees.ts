// Jobs' escaped descendants: when a job ends, a sweep stops whatever still carries its marker
// outside its process group, before its completion line is written, so that the line can say so.
// Ends that come while a sweep runs are gathered into the next one: one /proc scan for many jobs.
import { JOB_MARKER, type SweptProcesses, sweepMarked } from '../process/terminate/sweep.js';

const NOTHING: SweptProcesses = { count: 0, signals: [] };

interface Waiting {
  readonly name: string;
  readonly resolve: (swept: SweptProcesses) => void;
}

/** Sweeps ended jobs' markers, in batches, and tells each job what was stopped of it. */
export class EscapeeSweeper {
  // marker -> the job's name and who waits for its sweep; a batch is dropped once swept, so a
  // run keeps nothing of the jobs that ended (100,000 of them).
  private pending = new Map<string, Waiting>();
  private running: Promise<void> | null = null;

  /** `warn` is told which job left processes outside its group; ends that come within
   * `gatherMs` of the first join its sweep (a pool worker, which does not wait for them). */
  constructor(
    private readonly graceMs: number,
    private readonly warn: (message: string) => void,
    private readonly force: AbortSignal | null = null,
    private readonly gatherMs = 0,
  ) {}

  /** The marker value of a job: a job's processes carry PAREX_JOB_ID=<marker>. */
  static marker(runId: string, name: string): string {
    return `${runId}/${name}`;
  }

  /** Sweeps a job that has ended; resolves with what was stopped of it. */
  jobEnded(name: string, marker: string): Promise<SweptProcesses> {
    const swept = new Promise<SweptProcesses>((resolve) =>
      this.pending.set(marker, { name, resolve }),
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
      // Let the jobs that end in the same turn of the event loop (or within gatherMs) join.
      await new Promise((resolve) =>
        this.gatherMs > 0 ? setTimeout(resolve, this.gatherMs) : setImmediate(resolve),
      );
      const batch = this.pending;
      this.pending = new Map();
      const found = await sweepMarked(JOB_MARKER, new Set(batch.keys()), this.graceMs, this.force);
      for (const [marker, { name, resolve }] of batch) {
        const swept = found.get(marker) ?? NOTHING;
        if (swept.count > 0) {
          this.warn(
            `[parex] job ${name} left ${swept.count} process${swept.count === 1 ? '' : 'es'} outside its process group (setsid or double fork); stopped them (${swept.signals.join(', then ')})`,
          );
        }
        resolve(swept);
      }
    }
    this.running = null;
  }
}
