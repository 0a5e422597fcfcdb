// A job to run, the hooks it carries, and where it is in its life.
import type { StopReason, TokenUsage } from './outcome.js';
import type { JobResult } from './result.js';

/** One job to run: a shell command line, or an argv run without a shell. */
export interface JobSpec {
  /** Unique within the group; becomes the log file name `NAME.log`. */
  readonly name: string;
  /** A shell command line, run as `/bin/sh -c COMMAND`. Exactly one of `command` and `argv`. */
  readonly command?: string;
  /** A program and its arguments, run without a shell. */
  readonly argv?: readonly string[];
  /** Text written to the job's stdin, which is then closed. Without it stdin is /dev/null. */
  readonly input?: string | Uint8Array;
  /** Extra environment variables for this job (added to the group's environment). */
  readonly env?: Readonly<Record<string, string>>;
  /** Seconds before the job is stopped; overrides the group's timeout (0 = none). */
  readonly timeoutSec?: number;
  /** Seconds without output before the job is stopped as stalled; overrides the group's (0 = none). */
  readonly idleTimeoutSec?: number;
  /** Signals sent one after another when the job is stopped, the grace period apart. */
  readonly stopSignals?: readonly NodeJS.Signals[];
  /** Names of jobs of the same group that must succeed before this one starts. */
  readonly needs?: readonly string[];
  /** Names of jobs that must have ended, whatever their outcome, before this one starts
   * (a judge waits for every candidate). */
  readonly after?: readonly string[];
  /** The job's working directory; the group's when absent. */
  readonly cwd?: string;
  /** Which attempt at this job this is (1 for the first); recorded in the manifest. */
  readonly attempt?: number;
  /** Files the job reads, relative to its cwd: a pool sends them to the worker (docs/distributed.md). */
  readonly inputs?: readonly string[];
  /** Files the job writes, relative to its cwd: a pool brings them back from the worker. */
  readonly outputs?: readonly string[];
  /** Side files parex itself names in the job's argv or env (docs/distributed.md). */
  readonly sideFiles?: readonly SideFile[];
  /** Tags of the pool workers that may run it (any one of them); any worker when absent. */
  readonly runsOn?: readonly string[];
  /** Extra fields recorded on the job's start and completion lines. */
  readonly manifestFields?: Readonly<Record<string, unknown>>;
  /** Reads the job's output while it runs (agents' event streams): job-activity and job-usage events. */
  readonly watch?: () => OutputWatcher;
  /** Jobs with one start key (an agent CLI) start at least the group's `staggerSameKeyMs` apart. */
  readonly startKey?: string;
  /** Judges a job whose process has ended: can turn a success into a failure, and adds details. */
  readonly evaluate?: (result: JobResult) => Promise<JobVerdict> | JobVerdict;
  /** The agent CLI the job runs (codex, claude, gemini), whose event stream its log holds; absent for commands. */
  readonly agent?: string;
  /** What budgets need to know of an agent job. */
  readonly spending?: JobSpending;
}

/** A file or directory parex itself names in a job's argv, env or stdin: an agent's
 * last-message file, a per-job agent home, a judge's candidate patches. A pool's worker makes its
 * own in the attempt's side directory. */
export interface SideFile {
  /** As it appears in argv, env or stdin (relative: to the job's cwd), on the machine that plans it. */
  readonly path: string;
  /** 'file': the job writes it, and a pool brings it back here; 'home': an agent's per-job
   * home, seeded where the job runs from that machine's own configuration; 'inbound': the job
   * reads it (written here before the job starts), and a pool sends it to the worker; 'dir': the
   * directory holding the inbound files (an agent judge's read scope), the worker's own side
   * directory there. */
  readonly kind: 'file' | 'home' | 'inbound' | 'dir';
  /** For a home: the agent whose configuration seeds it. */
  readonly agent?: string;
}

/** An agent job as the budgets see it. */
export interface JobSpending {
  /** The model asked for, used to price tokens when the agent does not name its model. */
  readonly model?: string | null;
  /** The phase the job belongs to (its own budget, and the estimate of what it will need). */
  readonly phase?: string;
  /** How many jobs the phase has (candidates), for the estimate of what it will need. */
  readonly phaseJobs?: number;
  /** The USD the phase is declared to need (`expect_cost`). */
  readonly expectCostUsd?: number | null;
}

/** What one whole line of a job's output says, for the live events. */
export interface WatchedLine {
  /** One readable line: what the agent is doing now. */
  readonly activity: string | null;
  /** The tokens used so far, when known. */
  readonly usage: TokenUsage | null;
}

/** Reads a running job's output one line at a time (made fresh for each attempt). */
export interface OutputWatcher {
  line(text: string): WatchedLine;
}

/** What a job's evaluate hook decided. */
export interface JobVerdict {
  /** Set to 'failed' to fail a job whose process succeeded (e.g. an agent that reported an error). */
  readonly outcome?: 'failed';
  /** Why, in words, e.g. "output missing: prps/x.md". */
  readonly reason?: string;
  /** Extra fields for the completion line (session id, tokens, ...). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Where a job is in its life; the timestamps live inside the state that has them. */
export type JobStatus =
  | { readonly state: 'queued' }
  | { readonly state: 'running'; readonly startedAt: Date; readonly pid: number }
  | {
      readonly state: 'stopping';
      readonly startedAt: Date;
      readonly pid: number;
      readonly reason: StopReason;
      readonly signal: NodeJS.Signals;
    }
  | { readonly state: 'done'; readonly result: JobResult }
  | { readonly state: 'not_started' };
