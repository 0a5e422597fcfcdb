// The shared vocabulary of parex: jobs, their states and results, group results and events.
// Every other module imports its types from here; this module imports nothing of parex.

/** How a job ended, as recorded in the manifest's `outcome` field. */
export type Outcome = 'success' | 'failed' | 'timeout' | 'killed' | 'cancelled' | 'spawn_error';

/** Why parex itself stopped a job's process group. */
export type StopReason = 'timeout' | 'cancel';

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
  /** Signals sent one after another when the job is stopped, the grace period apart. */
  readonly stopSignals?: readonly NodeJS.Signals[];
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

/** Everything known about a finished job. A failed job is data, never an exception. */
export interface JobResult {
  readonly name: string;
  /** The command as shown to people: the shell line, or the argv joined with spaces. */
  readonly command: string;
  readonly outcome: Outcome;
  /** The exit code, normalised: 124 timed out (TERM was enough), 137 killed after the grace, 128+n for signal n. */
  readonly exitCode: number;
  /** The signal that ended the main process, if one did. */
  readonly signal: NodeJS.Signals | null;
  readonly pid: number | null;
  readonly startedAt: Date;
  readonly endedAt: Date;
  /** From spawn to exit of this job's own process, in milliseconds. */
  readonly durationMs: number;
  readonly logPath: string;
  /** Why parex stopped the job, if it did. */
  readonly stopReason: StopReason | null;
  /** Signals parex sent to the job's process group, in order. */
  readonly signalsSent: readonly NodeJS.Signals[];
  /** The seconds allowed before the job was stopped (0 = none). */
  readonly timeoutSec: number;
  /** Grace between two stop signals, in seconds. */
  readonly killAfterSec: number;
  /** True when processes the job left behind in its group had to be stopped after it exited. */
  readonly reapedLeftovers: boolean;
  /** What went wrong when the job could not be started. */
  readonly errorMessage: string | null;
}

/** The result of one group of jobs. */
export interface GroupResult {
  readonly runId: string;
  readonly feature: string | null;
  readonly group: string | null;
  readonly logDir: string;
  readonly manifestPath: string;
  /** Results of the jobs that ran, in the order they were given. */
  readonly results: readonly JobResult[];
  /** Names of jobs that never started because the group was cancelled first. */
  readonly notStarted: readonly string[];
  readonly speedup: SpeedupFigures;
  /** True when every job succeeded and none was left unstarted. */
  readonly ok: boolean;
  /** The signal that cancelled the group, if one did. */
  readonly cancelledBy: NodeJS.Signals | null;
}

/** One job's span of time, the raw material of the speedup figures. */
export interface JobSpan {
  readonly name: string;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly durationMs: number;
}

/** Wall time, summed job time and their ratio. */
export interface SpeedupFigures {
  readonly jobs: number;
  /** Sum of every job's own duration. */
  readonly sumMs: number;
  /** From the first job's start to the last job's end. */
  readonly wallMs: number;
  /** sumMs / wallMs; 0 when there is no wall time. */
  readonly speedup: number;
  /** The job with the longest duration, which bounds the wall time. */
  readonly longest: string | null;
}

/** What the engine reports while a group runs. */
export type GroupEvent =
  | {
      readonly type: 'run-start';
      readonly runId: string;
      readonly logDir: string;
      readonly jobs: number;
      readonly concurrency: number;
    }
  | {
      readonly type: 'job-start';
      readonly name: string;
      readonly pid: number;
      readonly command: string;
      readonly startedAt: Date;
      readonly logPath: string;
    }
  | {
      readonly type: 'job-signal';
      readonly name: string;
      readonly pid: number;
      readonly signal: NodeJS.Signals;
      readonly reason: StopReason | 'leftovers';
    }
  | { readonly type: 'job-end'; readonly result: JobResult }
  | { readonly type: 'run-end'; readonly result: GroupResult };
