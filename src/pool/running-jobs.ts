// The jobs a worker is running, by run, each with the switches that stop it: `cancel` starts
// its stop ladder, `force` skips the rest of its grace. Cancels from the coordinator, its
// missing heartbeat and the worker's own shutdown all stop jobs through here; `stop` stops one
// job for a reason of its own (its run's budget is spent).
import type { StopReason } from '../model/outcome.js';

/** How one running job can be stopped. */
export interface RunningJob {
  readonly cancel: AbortController;
  readonly force: AbortController;
  /** Stops it for its own reason (budget), aborted with that StopReason. */
  readonly stop: AbortController;
  /** Why the worker stopped it itself (shutdown), so that the coordinator runs it elsewhere. */
  handedBack: string | null;
}

/** The running jobs of a worker. */
export class RunningJobs {
  private readonly byRun = new Map<string, Map<string, RunningJob>>();

  /** Registers a job `key` (name.attempt) of `run`; returns its switches. */
  add(run: string, key: string): RunningJob {
    const job: RunningJob = {
      cancel: new AbortController(),
      force: new AbortController(),
      stop: new AbortController(),
      handedBack: null,
    };
    const jobs = this.byRun.get(run) ?? new Map<string, RunningJob>();
    jobs.set(key, job);
    this.byRun.set(run, jobs);
    return job;
  }

  /** Forgets a job that has ended. */
  remove(run: string, key: string): void {
    const jobs = this.byRun.get(run);
    jobs?.delete(key);
    if (jobs?.size === 0) this.byRun.delete(run);
  }

  /** The runs with jobs here, and their jobs' keys. */
  runs(): [string, string[]][] {
    return [...this.byRun].map(([run, jobs]) => [run, [...jobs.keys()]]);
  }

  /** How many jobs run here. */
  get size(): number {
    let count = 0;
    for (const jobs of this.byRun.values()) count += jobs.size;
    return count;
  }

  /** Stops one job (`key`), or every job of `run` when `key` is null. */
  stop(run: string, key: string | null, force: boolean, reason: string): void {
    for (const [jobKey, job] of this.byRun.get(run) ?? []) {
      if (key !== null && jobKey !== key) continue;
      job.cancel.abort(reason);
      if (force) job.force.abort(reason);
    }
  }

  /** Stops one job of `run` by its ladder for `why` (its outcome says so: budget). */
  stopFor(run: string, key: string, why: StopReason): void {
    this.byRun.get(run)?.get(key)?.stop.abort(why);
  }

  /** Stops every job here, to hand it back (the worker shuts down). */
  handBackAll(reason: string, force: boolean): void {
    for (const jobs of this.byRun.values()) {
      for (const job of jobs.values()) {
        job.handedBack ??= reason;
        job.cancel.abort(reason);
        if (force) job.force.abort(reason);
      }
    }
  }
}
