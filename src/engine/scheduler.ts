// The scheduler: a fixed number of slots over jobs that may need others. A job starts, in the
// order given, once every job it needs has succeeded; it is skipped once one of them has not.
// Each job waits on a count of the needs it still lacks, and a job that settles updates only
// the jobs that need it, so a chain of 20,000 jobs costs the same per job as a group of 10
// (O(log n) per start, for the ready jobs kept in order). The state of a job is one byte, and
// a job is made (planned) only when it is about to start, be skipped or be refused. Before each
// start it asks `admit` (the start admission): a job told to wait stays queued until `wake`,
// one refused is settled as failed.
import type { NameList } from '../names/name-list.js';
import { IndexHeap } from './index-heap.js';

/** The jobs as the scheduler reads them, by position. */
export interface SchedulableJobs<T> {
  readonly length: number;
  /** Job number `index`, made when it is about to start, be skipped or be refused. */
  at(index: number): T;
  /** The jobs' names by position (`indexOf` is undefined for a name of no job). */
  readonly names: Pick<NameList, 'at' | 'indexOf'>;
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
const FAILED = 2;

/** Runs every job it can, at most `slots` at once; resolves with the positions of the jobs never
 * started or skipped. */
export function runInSlots<T>(
  jobs: SchedulableJobs<T>,
  slots: number,
  cancel: AbortSignal | null,
  hooks: SchedulerHooks<T>,
): Promise<number[]> {
  const limit = Math.max(1, slots);
  const { lacking, dependents, waitingAfter } = dependencies(jobs);
  const state = new Uint8Array(jobs.length);
  const failed = new Set<string>();
  const ready = new IndexHeap();
  for (let index = 0; index < jobs.length; index += 1) if (lacking[index] === 0) ready.push(index);
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
    const release = (next: number) => {
      lacking[next] = (lacking[next] as number) - 1;
      if (lacking[next] === 0) ready.push(next);
    };
    /** Records how a job ended (ran, skipped or refused) for the jobs that wait on it. */
    const ended = (name: string, ok: boolean) => {
      if (!ok) failed.add(name);
      for (const next of waitingAfter.get(name) ?? []) release(next);
      if (ok) for (const next of dependents.get(name) ?? []) release(next);
    };
    const settle = (index: number, ok: boolean) => {
      running -= 1;
      const name = jobs.names.at(index);
      ended(name, ok);
      // Once cancelled, nothing more is skipped or started: what is left is "not started".
      if (!ok && cancel?.aborted !== true) skipAfter(name);
      pump();
    };
    /** Skips, in order, every job that needs `name` directly or through other skipped jobs. */
    function skipAfter(name: string): void {
      const candidates = new IndexHeap();
      for (const next of dependents.get(name) ?? []) candidates.push(next);
      while (candidates.size > 0) {
        const index = candidates.pop() as number;
        if (state[index] !== FREE) continue;
        const need = jobs.needs(index).find((other) => failed.has(other));
        if (need === undefined) continue;
        state[index] = FAILED;
        const skipped = jobs.names.at(index);
        hooks.skip(jobs.at(index), need, index);
        ended(skipped, false);
        for (const next of dependents.get(skipped) ?? []) candidates.push(next);
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
        if (state[index] !== FREE) continue;
        const job = jobs.at(index);
        const verdict = hooks.admit?.(job) ?? 'start';
        if (verdict === 'wait') {
          waiting.push(index);
          continue;
        }
        if (verdict !== 'start') {
          state[index] = FAILED;
          hooks.refuse?.(job, verdict.refuse, index);
          const name = jobs.names.at(index);
          ended(name, false);
          refused.push(name);
          continue;
        }
        state[index] = TAKEN;
        running += 1;
        hooks.run(job, index).then(
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
 * it and the jobs that wait for it to end. Only jobs with needs or after-jobs cost more than
 * four bytes.
 */
function dependencies<T>(jobs: SchedulableJobs<T>): {
  lacking: Uint32Array;
  dependents: Map<string, number[]>;
  waitingAfter: Map<string, number[]>;
} {
  const lacking = new Uint32Array(jobs.length);
  const dependents = new Map<string, number[]>();
  const waitingAfter = new Map<string, number[]>();
  const linked: { map: Map<string, number[]>; name: string; index: number }[] = [];
  for (let index = 0; index < jobs.length; index += 1) {
    const needs = jobs.needs(index);
    const after = jobs.after(index);
    if (needs.length === 0 && after.length === 0) continue;
    const distinctNeeds = new Set(needs);
    const distinctAfter = new Set(after);
    lacking[index] = distinctNeeds.size + distinctAfter.size;
    for (const name of distinctNeeds) linked.push({ map: dependents, name, index });
    for (const name of distinctAfter) linked.push({ map: waitingAfter, name, index });
  }
  if (linked.length === 0) return { lacking, dependents, waitingAfter };
  for (const { map, name, index } of linked) {
    if (jobs.names.indexOf(name) === undefined) continue;
    const list = map.get(name);
    if (list === undefined) map.set(name, [index]);
    else list.push(index);
  }
  return { lacking, dependents, waitingAfter };
}
