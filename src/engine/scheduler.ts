// The scheduler: a fixed number of slots over jobs that may need others. A job starts, in the
// order given, once every job it needs has succeeded; it is skipped once one of them has not.
// Each job waits on a count of the needs it still lacks, and a job that settles updates only
// the jobs that need it, so a chain of 20,000 jobs costs the same per job as a group of 10
// (O(log n) per start, for the ready jobs kept in order). Before each start it asks `admit`
// (the start admission): a job told to wait stays queued until `wake`, one refused is settled
// as failed.
import { IndexHeap } from './index-heap.js';

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
  const { lacking, dependents, waitingAfter } = dependencies(jobs);
  const succeeded = new Map<string, boolean>();
  const taken = new Uint8Array(jobs.length);
  const ready = new IndexHeap();
  lacking.forEach((count, index) => {
    if (count === 0) ready.push(index);
  });
  let running = 0;
  let done = false;
  return new Promise((resolve) => {
    const finish = () => {
      done = true;
      cancel?.removeEventListener('abort', pump);
      resolve(jobs.filter((_, index) => taken[index] === 0));
    };
    const release = (next: number) => {
      lacking[next] = (lacking[next] as number) - 1;
      if (lacking[next] === 0) ready.push(next);
    };
    /** Records how a job ended (ran, skipped or refused) for the jobs that wait on it. */
    const ended = (name: string, ok: boolean) => {
      succeeded.set(name, ok);
      for (const next of waitingAfter.get(name) ?? []) release(next);
      if (ok) for (const next of dependents.get(name) ?? []) release(next);
    };
    const settle = (index: number, ok: boolean) => {
      running -= 1;
      const name = (jobs[index] as T).name;
      ended(name, ok);
      // Once cancelled, nothing more is skipped or started: what is left is "not started".
      if (!ok && cancel?.aborted !== true) skipAfter(name);
      pump();
    };
    /** Skips, in order, every job that needs `failed` directly or through other skipped jobs. */
    function skipAfter(failed: string): void {
      const candidates = new IndexHeap();
      for (const next of dependents.get(failed) ?? []) candidates.push(next);
      while (candidates.size > 0) {
        const index = candidates.pop() as number;
        const job = jobs[index] as T;
        if (taken[index] === 1) continue;
        const need = job.needs.find((name) => succeeded.get(name) === false);
        if (need === undefined) continue;
        taken[index] = 1;
        hooks.skip(job, need);
        ended(job.name, false);
        for (const next of dependents.get(job.name) ?? []) candidates.push(next);
      }
    }
    function pump(): void {
      if (done) return;
      if (cancel?.aborted === true) {
        if (running === 0) finish();
        return;
      }
      const waiting: number[] = [];
      const refused: string[] = [];
      while (running < limit && ready.size > 0) {
        const index = ready.pop() as number;
        if (taken[index] === 1) continue;
        const job = jobs[index] as T;
        const verdict = hooks.admit?.(job) ?? 'start';
        if (verdict === 'wait') {
          waiting.push(index);
          continue;
        }
        taken[index] = 1;
        if (verdict !== 'start') {
          hooks.refuse?.(job, verdict.refuse);
          ended(job.name, false);
          refused.push(job.name);
          continue;
        }
        running += 1;
        hooks.run(job).then(
          (ok) => settle(index, ok),
          () => settle(index, false),
        );
      }
      for (const index of waiting) ready.push(index);
      if (refused.length > 0) {
        for (const name of refused) skipAfter(name);
        pump();
      } else if (running === 0 && waiting.length === 0) finish();
    }
    hooks.wakeWith?.(() => queueMicrotask(pump));
    cancel?.addEventListener('abort', pump);
    pump();
  });
}

/**
 * For each job, how many of its (distinct) needs and `after` jobs have not succeeded, or not
 * ended, yet (a name of no job of the group is never met); for each name, the jobs that need
 * it and the jobs that wait for it to end.
 */
function dependencies(jobs: readonly SchedulableJob[]): {
  lacking: Uint32Array;
  dependents: Map<string, number[]>;
  waitingAfter: Map<string, number[]>;
} {
  const names = new Set(jobs.map((job) => job.name));
  const lacking = new Uint32Array(jobs.length);
  const dependents = new Map<string, number[]>();
  const waitingAfter = new Map<string, number[]>();
  const link = (map: Map<string, number[]>, name: string, index: number) => {
    if (!names.has(name)) return;
    const list = map.get(name);
    if (list === undefined) map.set(name, [index]);
    else list.push(index);
  };
  jobs.forEach((job, index) => {
    if (job.needs.length === 0 && (job.after?.length ?? 0) === 0) return;
    const needs = new Set(job.needs);
    const after = new Set(job.after ?? []);
    lacking[index] = needs.size + after.size;
    for (const need of needs) link(dependents, need, index);
    for (const name of after) link(waitingAfter, name, index);
  });
  return { lacking, dependents, waitingAfter };
}
