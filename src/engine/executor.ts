// The job executor: how the engine runs one attempt of a job. A local run spawns it here
// (runProcess through the run's launcher); a pooled run (src/pool/) sends it to a worker. Both
// give back what happened to the process, so that one engine classifies, retries and records.
import type { GroupPlan, PlannedJob } from '../options/normalize.js';
import type { ProcessOutcome, ProcessRequest } from '../process/run-process.js';
import type { JobStart, SweptProcesses } from '../process/terminate/sweep.js';

/** One attempt, as the engine hands it over: the job, and its process as it would run here. */
export type AttemptRequest = Omit<ProcessRequest, 'launcher' | 'onSpawn'> & {
  /** Called once the job's process runs; `fields` go on its start line (a pool's worker). */
  readonly onSpawn: (
    pid: number,
    startedAt: Date,
    fields?: Readonly<Record<string, unknown>>,
  ) => void;
};

/** What an executor gives back: the process's outcome, or that it never started. */
export type AttemptOutcome =
  | (ProcessOutcome & {
      readonly kind: 'ran';
      /** Fields for the completion line (a pool's worker and time in the queue). */
      readonly fields?: Readonly<Record<string, unknown>>;
      /** Set when the executor lost the job (its worker died): why, in words. */
      readonly lost?: string;
      /** Set when a process that succeeded still failed the job (its outputs did not come back). */
      readonly failure?: string;
      /** Set when the job's worktree set-up failed where it runs: why (outcome setup_failed). */
      readonly setupFailed?: string;
    })
  | { readonly kind: 'not-started' };

/** Runs attempts; `close` waits for what the executor still does for ended jobs. */
export interface JobExecutor {
  /** True when attempts run on other machines: isolated jobs' worktrees are made there. */
  readonly remote?: boolean;
  execute(job: PlannedJob, request: AttemptRequest): Promise<AttemptOutcome>;
  /** Says that a job's attempt has ended, with the marker its processes carry (and its pid and
   * start, which let a short job's sweep look at newer processes only); resolves with what was
   * stopped of it outside its process group (escapees), before its completion line. */
  jobEnded(name: string, marker: string, started?: JobStart | null): Promise<SweptProcesses>;
  close(): Promise<void>;
}

/** Makes the executor of a run, after validation and before anything is written; may throw a
 * UsageError (e.g. the pool cannot be reached). */
export type ExecutorFactory = (plan: GroupPlan) => Promise<JobExecutor>;
