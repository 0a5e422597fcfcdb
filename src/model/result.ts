// What a finished job and a finished group are: results are data, never exceptions.
import type { Outcome, StopReason } from './outcome.js';
import type { SpendReport } from './spend.js';
import type { WorkspaceSummary } from './workspace.js';

/** Everything known about a finished job. A failed job is data, never an exception. */
export interface JobResult {
  readonly name: string;
  /** The command as shown to people: the shell line, or the argv joined with spaces. */
  readonly command: string;
  readonly outcome: Outcome;
  /** The exit code, normalised: 124 timed out (TERM was enough), 137 killed after the grace, 128+n for signal n; null when skipped or lost. */
  readonly exitCode: number | null;
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
  /** Milliseconds parex waited between the first stop signal and SIGKILL, when it sent SIGKILL
   * to stop the job (less than the grace when told to kill at once); null or absent otherwise. */
  readonly killedAfterMs?: number | null;
  /** The seconds allowed before the job was stopped (0 = none). */
  readonly timeoutSec: number;
  /** The seconds of silence allowed before the job was stopped as stalled (0 = none). */
  readonly idleTimeoutSec: number;
  /** Grace between two stop signals, in seconds. */
  readonly killAfterSec: number;
  /** True when processes the job left behind (in its group, or escaped from it) had to be stopped. */
  readonly reapedLeftovers: boolean;
  /** How many processes outside the job's group (setsid, double fork) were stopped after it ended. */
  readonly leftoversStopped?: number;
  /** The signals those processes were sent: SIGTERM, then SIGKILL after the grace if needed. */
  readonly leftoverSignals?: readonly NodeJS.Signals[];
  /** What went wrong when the job could not be started. */
  readonly errorMessage: string | null;
  /** Why the job failed or was skipped, when the exit code alone does not say. */
  readonly reason: string | null;
  /** Which attempt at this job this was (1 for the first). */
  readonly attempt: number;
  /** Extra fields recorded on the job's lines: those of the spec, then those of its verdict. */
  readonly details: Readonly<Record<string, unknown>>;
  /**
   * The last lines of the log of a job that did not succeed, cleaned for a terminal and redacted
   * when the job ended (the manifest's `log_tail`); empty for a success or a job that never ran.
   */
  readonly logTail?: readonly string[];
}

/** The result of one group of jobs. */
export interface GroupResult {
  readonly runId: string;
  readonly feature: string | null;
  readonly group: string | null;
  readonly logDir: string;
  readonly manifestPath: string;
  /** Results of the jobs that ran, in the order they were given (with keepResults
   * 'unsuccessful': only those of the jobs that did not succeed). */
  readonly results: readonly JobResult[];
  /** Successes left out of `results` (keepResults 'unsuccessful'); 0 or absent otherwise. */
  readonly omitted?: number;
  /** Names of jobs that never started because the group was cancelled first. */
  readonly notStarted: readonly string[];
  readonly speedup: SpeedupFigures;
  /** True when every job succeeded and none was left unstarted. */
  readonly ok: boolean;
  /** What the workspace hook made of the run (isolated runs only): base, result, kept worktrees. */
  readonly workspace?: WorkspaceSummary;
  /** The signal that cancelled the group, if one did. */
  readonly cancelledBy: NodeJS.Signals | null;
  /** Why parex itself stopped the group early (e.g. --fail-fast), if it did. */
  readonly haltedBy: GroupHalt | null;
  /** What made parex itself stop the run (a manifest write that failed, an onEvent callback
   * that threw), naming the file and the error; null when nothing did. */
  readonly error: string | null;
  /** What the run's agents spent and its budget; null when nothing was accounted. */
  readonly spend?: SpendReport | null;
}

/** Why parex stopped a group before every job had run. */
export interface GroupHalt {
  /** 'fail-fast': a job did not succeed and --fail-fast was on. */
  readonly reason: 'fail-fast';
  /** The job whose ending stopped the group. */
  readonly job: string;
  /** How that job ended. */
  readonly outcome: Outcome;
}

/** One attempt of a job: its span of time, the raw material of the speedup figures. */
export interface JobSpan {
  readonly name: string;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly durationMs: number;
  /** Which attempt of the job (1 when absent). */
  readonly attempt?: number;
  /** The jobs it waited for. */
  readonly needs?: readonly string[];
}

/** Wall time, summed job time, their ratio, the efficiency and the critical path. */
export interface SpeedupFigures {
  /** Jobs with at least one span. */
  readonly jobs: number;
  /** Sum of every attempt's own duration. */
  readonly sumMs: number;
  /** From the first start to the last end, over every attempt. */
  readonly wallMs: number;
  /** sumMs / wallMs; 0 when there is no wall time. */
  readonly speedup: number;
  /** The job with the longest attempt. */
  readonly longest: string | null;
  /** The most jobs that could have run at once: the -j limit, or fewer jobs (or a narrower wave). */
  readonly slots: number;
  /** speedup / slots: 1 means no slot sat idle. */
  readonly efficiency: number;
  /** The chain of attempts that set the wall time, first to last ("name", or "name#2" for a retry). */
  readonly criticalPath: readonly string[];
  /** The sum of the critical path's own durations. */
  readonly criticalPathMs: number;
  /** The wall time the critical path does not cover: start-up gaps before and between its jobs. */
  readonly gapMs: number;
}
