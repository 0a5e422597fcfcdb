// The scheduler: a fixed number of slots over jobs that may need others. A job starts, in the
// order given, once every job it needs has succeeded; it is skipped once one of them has not.
// Each pump looks only past the jobs already taken, so a group of 10,000 jobs without needs
// costs the same per job as a group of 1,000. Before each start it asks `admit` (the start
// admission): a job told to wait stays queued until `wake`, one refused is settled as failed.

/** What the scheduler needs of a job. */
export interface SchedulableJob {
  readonly name: string;
  readonly needs: readonly string[];
  /** Jobs that must have ended (any outcome) first. */
  readonly after?: readonly string[];
}

/** How the scheduler drives the caller. */
export interface SchedulerHooks<T extends SchedulableJob> {
  /** Runs a job; resolves true when it succeeded. */
  readonly run: (job: T) => Promise<boolean>;
  /** Records a job that will not run because `need` did not succeed. */
  readonly skip: (job: T, need: string) => void;
  /** Whether the job may start now ('start'), later ('wait'), or never (a reason). */
  readonly admit?: (job: T) => 'start' | 'wait' | { readonly refuse: string };
  /** Records a job that `admit` refused. */
  readonly refuse?: (job: T, reason: string) => void;
  /** Given the scheduler's wake-up, which makes it ask about the waiting jobs again. */
  readonly wakeWith?: (wake: () => void) => void;
}

/** Runs every job it can, at most `slots` at once; resolves with the jobs never started or skipped. */
export function runInSlots<T extends SchedulableJob>(
  jobs: readonly T[],
  slots: number,
  cancel: AbortSignal | null,
  hooks: SchedulerHooks<T>,
): Promise<T[]> {
  const limit = Math.max(1, slots);
  const succeeded = new Map<string, boolean>();
  const taken: boolean[] = jobs.map(() => false);
  let head = 0;
  let running = 0;
  let done = false;
  return new Promise((resolve) => {
    const finish = () => {
      done = true;
      cancel?.removeEventListener('abort', pump);
      resolve(jobs.filter((_, index) => !taken[index]));
    };
    const settle = (job: T, ok: boolean) => {
      running -= 1;
      succeeded.set(job.name, ok);
      // Once cancelled, nothing more is skipped or started: what is left is "not started".
      if (!ok && cancel?.aborted !== true) skipBlocked();
      pump();
    };
    function skipBlocked(): void {
      for (let changed = true; changed; ) {
        changed = false;
        for (let index = head; index < jobs.length; index += 1) {
          const job = jobs[index] as T;
          if (taken[index] || job.needs.length === 0) continue;
          const failed = job.needs.find((need) => succeeded.get(need) === false);
          if (failed === undefined) continue;
          taken[index] = true;
          succeeded.set(job.name, false);
          hooks.skip(job, failed);
          changed = true;
        }
      }
    }
    function pump(): void {
      if (done) return;
      if (cancel?.aborted === true) {
        if (running === 0) finish();
        return;
      }
      while (head < jobs.length && taken[head]) head += 1;
      let waiting = false;
      let refused = false;
      for (let index = head; index < jobs.length && running < limit; index += 1) {
        const job = jobs[index] as T;
        if (taken[index] || !job.needs.every((need) => succeeded.get(need) === true)) continue;
        if (job.after !== undefined && !job.after.every((name) => succeeded.has(name))) continue;
        const verdict = hooks.admit?.(job) ?? 'start';
        if (verdict === 'wait') {
          waiting = true;
          continue;
        }
        taken[index] = true;
        if (verdict !== 'start') {
          succeeded.set(job.name, false);
          hooks.refuse?.(job, verdict.refuse);
          refused = true;
          continue;
        }
        running += 1;
        hooks.run(job).then(
          (ok) => settle(job, ok),
          () => settle(job, false),
        );
      }
      if (refused) {
        skipBlocked();
        pump();
      } else if (running === 0 && !waiting) finish();
    }
    hooks.wakeWith?.(() => queueMicrotask(pump));
    cancel?.addEventListener('abort', pump);
    pump();
  });
}
