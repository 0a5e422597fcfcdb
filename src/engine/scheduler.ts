// The scheduler: a fixed number of slots over jobs that may need others. A job starts, in the
// order given, once every job it needs has succeeded; it is skipped once one of them has not.
// Each pump looks only past the jobs already taken, and a failure looks only at the jobs that
// need others, so a group of 100,000 jobs costs the same per job as a group of 1,000; the state
// of a job is one byte, and a job is made (planned) only when it is about to start or settle.
// Before each start it asks `admit` (the start admission): a job told to wait stays queued until
// `wake`, one refused is settled as failed.

/** The jobs as the scheduler reads them, by position. */
export interface SchedulableJobs<T> {
  readonly length: number;
  /** Job number `index`, made when it is about to start, be skipped or be refused. */
  at(index: number): T;
  readonly names: readonly string[];
  needs(index: number): readonly string[];
  /** The jobs that must have ended (any outcome) before job number `index` starts. */
  after(index: number): readonly string[];
}

/** How the scheduler drives the caller. */
export interface SchedulerHooks<T> {
  /** Runs job number `index`; resolves true when it succeeded. */
  readonly run: (job: T, index: number) => Promise<boolean>;
  /** Records a job that will not run because `need` did not succeed. */
  readonly skip: (job: T, need: string, index: number) => void;
  /** Whether the job may start now ('start'), later ('wait'), or never (a reason). */
  readonly admit?: (job: T) => 'start' | 'wait' | { readonly refuse: string };
  /** Records a job that `admit` refused. */
  readonly refuse?: (job: T, reason: string, index: number) => void;
  /** Given the scheduler's wake-up, which makes it ask about the waiting jobs again. */
  readonly wakeWith?: (wake: () => void) => void;
}

const FREE = 0;
const TAKEN = 1;
const SUCCEEDED = 2;
const FAILED = 3;

/** Runs every job it can, at most `slots` at once; resolves with the positions of the jobs never
 * started or skipped. */
export function runInSlots<T>(
  jobs: SchedulableJobs<T>,
  slots: number,
  cancel: AbortSignal | null,
  hooks: SchedulerHooks<T>,
): Promise<number[]> {
  const limit = Math.max(1, slots);
  const state = new Uint8Array(jobs.length);
  const { withNeeds, positionOf } = needsIndex(jobs);
  const stateOf = (need: string) => state[positionOf.get(need) ?? -1];
  let head = 0;
  let running = 0;
  let done = false;
  return new Promise((resolve) => {
    const finish = () => {
      done = true;
      cancel?.removeEventListener('abort', pump);
      const left: number[] = [];
      for (let index = 0; index < jobs.length; index += 1)
        if (state[index] === FREE) left.push(index);
      resolve(left);
    };
    const settle = (index: number, ok: boolean) => {
      running -= 1;
      state[index] = ok ? SUCCEEDED : FAILED;
      // Once cancelled, nothing more is skipped or started: what is left is "not started".
      if (!ok && cancel?.aborted !== true) skipBlocked();
      pump();
    };
    function skipBlocked(): void {
      for (let changed = true; changed; ) {
        changed = false;
        for (const index of withNeeds) {
          if (state[index] !== FREE) continue;
          const failed = jobs.needs(index).find((need) => stateOf(need) === FAILED);
          if (failed === undefined) continue;
          state[index] = FAILED;
          hooks.skip(jobs.at(index), failed, index);
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
      while (head < jobs.length && state[head] !== FREE) head += 1;
      let waiting = false;
      let refused = false;
      for (let index = head; index < jobs.length && running < limit; index += 1) {
        if (state[index] !== FREE) continue;
        if (!jobs.needs(index).every((need) => stateOf(need) === SUCCEEDED)) continue;
        if (!jobs.after(index).every((name) => (stateOf(name) ?? FREE) >= SUCCEEDED)) continue;
        const job = jobs.at(index);
        const verdict = hooks.admit?.(job) ?? 'start';
        if (verdict === 'wait') {
          waiting = true;
          continue;
        }
        if (verdict !== 'start') {
          state[index] = FAILED;
          hooks.refuse?.(job, verdict.refuse, index);
          refused = true;
          continue;
        }
        state[index] = TAKEN;
        running += 1;
        hooks.run(job, index).then(
          (ok) => settle(index, ok),
          () => settle(index, false),
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

/** The jobs that need others, and the position of every job that is needed. */
function needsIndex<T>(jobs: SchedulableJobs<T>): {
  withNeeds: number[];
  positionOf: Map<string, number>;
} {
  const withNeeds: number[] = [];
  const needed = new Set<string>();
  for (let index = 0; index < jobs.length; index += 1) {
    const needs = jobs.needs(index);
    for (const name of jobs.after(index)) needed.add(name);
    if (needs.length === 0) continue;
    withNeeds.push(index);
    for (const need of needs) needed.add(need);
  }
  const positionOf = new Map<string, number>();
  if (needed.size > 0) {
    jobs.names.forEach((name, index) => {
      if (needed.has(name)) positionOf.set(name, index);
    });
  }
  return { withNeeds, positionOf };
}
