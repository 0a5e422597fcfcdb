// Jobs' escaped descendants: after jobs end, one sweep (at most every 200 ms) stops whatever
// still carries their markers; the group waits for the last sweep before it resolves.
import { JOB_MARKER, sweepMarked } from '../process/terminate/sweep.js';

/** How long a sweep waits to gather more ended jobs. */
const SWEEP_DELAY_MS = 200;

/** Collects ended jobs' markers and sweeps them in batches. */
export class EscapeeSweeper {
  private pending = new Map<string, string>();
  private running: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

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

  /** Schedules a sweep for a job that has ended. */
  jobEnded(name: string, marker: string): void {
    this.pending.set(marker, name);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.running = this.running.then(() => this.sweep());
    }, SWEEP_DELAY_MS);
  }

  /** Sweeps what is pending now and waits for every sweep to finish. */
  async drain(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
      this.running = this.running.then(() => this.sweep());
    }
    await this.running;
  }

  private async sweep(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    if (batch.size === 0) return;
    const found = await sweepMarked(JOB_MARKER, new Set(batch.keys()), this.graceMs, this.force);
    for (const [marker, count] of found) {
      this.warn(
        `[parex] job ${batch.get(marker)} left ${count} process${count === 1 ? '' : 'es'} outside its process group (setsid or double fork); stopped them`,
      );
    }
  }
}
