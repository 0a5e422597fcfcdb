// The scheduler: a fixed number of slots over jobs that may need others. A job starts, in the
// order given, once every job it needs has succeeded; it is skipped once one of them has not.

/** What the scheduler needs of a job. */
export interface SchedulableJob {
  readonly name: string;
  readonly needs: readonly string[];
}

/** How the scheduler drives the caller. */
export interface SchedulerHooks<T extends SchedulableJob> {
  /** Runs a job; resolves true when it succeeded. */
  readonly run: (job: T) => Promise<boolean>;
  /** Records a job that will not run because `need` did not succeed. */
  readonly skip: (job: T, need: string) => void;
}

/** Runs every job it can, at most `slots` at once; resolves with the jobs never started or skipped. */
export function runInSlots<T extends SchedulableJob>(
  jobs: readonly T[],
  slots: number,
  cancel: AbortSignal | null,
  hooks: SchedulerHooks<T>,
): Promise<T[]> {
  const pending = [...jobs];
  const succeeded = new Map<string, boolean>();
  let running = 0;
  return new Promise((resolve) => {
    const finish = () => {
      cancel?.removeEventListener('abort', pump);
      resolve(pending.splice(0));
    };
    function pump(): void {
      if (cancel?.aborted === true) {
        if (running === 0) finish();
        return;
      }
      skipBlocked(pending, succeeded, hooks.skip);
      for (const job of [...pending]) {
        if (running >= Math.max(1, slots)) break;
        if (!job.needs.every((need) => succeeded.get(need) === true)) continue;
        pending.splice(pending.indexOf(job), 1);
        running += 1;
        const settle = (ok: boolean) => {
          running -= 1;
          succeeded.set(job.name, ok);
          pump();
        };
        hooks.run(job).then(settle, () => settle(false));
      }
      if (running === 0) finish();
    }
    cancel?.addEventListener('abort', pump);
    pump();
  });
}

function skipBlocked<T extends SchedulableJob>(
  pending: T[],
  marks: Map<string, boolean>,
  skip: (job: T, need: string) => void,
): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const job of [...pending]) {
      const failed = job.needs.find((need) => marks.get(need) === false);
      if (failed === undefined) continue;
      pending.splice(pending.indexOf(job), 1);
      marks.set(job.name, false);
      skip(job, failed);
      changed = true;
    }
  }
}
