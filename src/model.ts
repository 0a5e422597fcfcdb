// The shared vocabulary of parex: jobs, their states and results, group results and events.
// Every other module imports its types from here; this module imports nothing of parex.

/** How a job ended, as recorded in the manifest's `outcome` field. */
export type Outcome =
  | 'success'
  | 'failed'
  | 'timeout'
  | 'killed'
  | 'cancelled'
  | 'spawn_error'
  | 'skipped'
  | 'stalled'
  | 'budget'
  | 'conflict'
  | 'setup_failed'
  /** A pool lost the job: its worker died or stopped answering; the manifest says which. */
  | 'lost';

/** Why parex itself stopped a job's process group ('budget': the run's or phase's money or tokens ran out). */
export type StopReason = 'timeout' | 'cancel' | 'stall' | 'budget';

/** Where a cost figure comes from: the agent, parex's price table, or nowhere (unknown model). */
export type CostSource = 'reported' | 'estimated' | 'unknown';

/** What a job (or a run) has spent so far. */
export interface Spend {
  readonly input_tokens: number;
  readonly cached_input_tokens: number;
  readonly cache_write_tokens: number;
  readonly output_tokens: number;
  readonly reasoning_tokens: number;
  /** input_tokens + output_tokens: what --max-tokens counts. */
  readonly tokens: number;
  /** USD; null when no part of it could be priced. */
  readonly cost_usd: number | null;
  readonly cost_source: CostSource;
}

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

/** A run's spend against its budget. */
export interface SpendReport {
  readonly run: Spend;
  /** The run's limits (--max-cost, --max-tokens, budget:); null for none. */
  readonly maxCostUsd: number | null;
  readonly maxTokens: number | null;
  /** Why a budget stopped agent jobs, if one did. */
  readonly reached: string | null;
  /** The date of the shipped price table the estimates used. */
  readonly pricesAsOf: string;
  /** What each agent job spent over all its attempts. */
  readonly jobs: Readonly<Record<string, Spend>>;
  /** What each agent's jobs spent together. */
  readonly byAgent: Readonly<Record<string, Spend>>;
  /** What each phase's agent jobs spent together (a phase's candidates, judge and retries all
   * count in it), with the phase's own budget. */
  readonly byPhase?: Readonly<Record<string, PhaseSpend>>;
}

/** One phase's spend against its own budget (`budget:` on the phase; null limits for none). */
export interface PhaseSpend {
  readonly spend: Spend;
  /** Its agent jobs that reported usage. */
  readonly jobs: number;
  readonly maxCostUsd: number | null;
  readonly maxTokens: number | null;
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

/**
 * An agent's token use, in one meaning for every agent (docs/manifest.md): `input_tokens` counts
 * every input token including cache reads and writes, `cached_input_tokens` the cache reads
 * among them, `cache_write_tokens` the tokens written into the cache (Claude), `output_tokens`
 * the generated ones, `reasoning_tokens` those of them spent reasoning where the agent says so.
 */
export interface TokenUsage {
  readonly input_tokens: number;
  readonly cached_input_tokens: number;
  readonly cache_write_tokens: number;
  readonly output_tokens: number;
  readonly reasoning_tokens: number;
  /** As the agent reports it; null when it does not (Codex, Gemini). */
  readonly cost_usd: number | null;
  readonly model: string | null;
}

/** What the engine reports while a group runs. */
export type GroupEvent =
  | {
      readonly type: 'run-start';
      readonly runId: string;
      readonly logDir: string;
      readonly jobs: number;
      /** The jobs' names, in the order given. */
      readonly names: readonly string[];
      /** What each job needs, for the jobs that need any (absent or empty: none do). */
      readonly needs?: Readonly<Record<string, readonly string[]>>;
      readonly concurrency: number;
    }
  | {
      readonly type: 'job-start';
      readonly name: string;
      readonly pid: number;
      readonly command: string;
      readonly startedAt: Date;
      readonly logPath: string;
      readonly attempt: number;
      /** The job's timeout in seconds (0 = none). */
      readonly timeoutSec: number;
      readonly fields: Readonly<Record<string, unknown>>;
    }
  | {
      readonly type: 'job-signal';
      readonly name: string;
      readonly pid: number;
      readonly signal: NodeJS.Signals;
      readonly reason: StopReason | 'leftovers';
    }
  | {
      /** What an agent job is doing now, in words: one line per event of its stream. */
      readonly type: 'job-activity';
      readonly name: string;
      readonly at: Date;
      readonly text: string;
    }
  | {
      /** An agent job's token use so far (cumulative for this attempt). */
      readonly type: 'job-usage';
      readonly name: string;
      readonly at: Date;
      readonly usage: TokenUsage;
    }
  | {
      /** The spend of a job and of the whole run, after a job-usage event was priced. */
      readonly type: 'usage';
      readonly name: string;
      readonly at: Date;
      readonly job: Spend;
      readonly run: Spend;
    }
  | {
      /** A budget crossed its warning line (80%) or was reached. */
      readonly type: 'budget';
      readonly at: Date;
      readonly level: 'warning' | 'reached';
      /** 'run', or the phase whose own budget it is. */
      readonly scope: string;
      readonly limit: 'cost_usd' | 'tokens';
      readonly max: number;
      readonly spent: number;
    }
  | {
      /** New starts of one provider's jobs are held back after a rate limit. */
      readonly type: 'provider-pause';
      readonly provider: string;
      readonly at: Date;
      readonly waitMs: number;
      readonly until: Date;
      /** The job whose rate limit caused it. */
      readonly name: string;
      readonly reason: string;
    }
  | { readonly type: 'job-end'; readonly result: JobResult }
  | { readonly type: 'job-skip'; readonly result: JobResult }
  | { readonly type: 'run-end'; readonly result: GroupResult };

/** One isolated job as the workspace hook sees it. */
export interface WorkspaceJob {
  readonly name: string;
  /** The jobs it needs, as given to the engine. */
  readonly needs: readonly string[];
  readonly logPath: string;
  /** True when the job's result is checked in its directory (its own evaluate hook): a job
   * run elsewhere then has its commit checked out here when it comes back. */
  readonly evaluated?: boolean;
}

/** What `prepare` gives a job: its working directory, or why it cannot start. */
export type WorkspaceReady =
  | {
      readonly ok: true;
      /** The job's working directory; null leaves the group's. */
      readonly cwd: string | null;
      /** Fields for the job's start and completion lines (workspace, base_commit). */
      readonly details: Readonly<Record<string, unknown>>;
      /** Set when the job runs elsewhere (a pool's worker, WorkspaceContext.remote): what its
       * worktree is made from there, and how its commit comes back. */
      readonly travel?: TravellingWorkspace;
    }
  | {
      readonly ok: false;
      /** conflict, setup_failed; or the outcome of a job the workspace settles itself (a judge
       * choosing among candidates: success, or failed when none passed). */
      readonly outcome: 'conflict' | 'setup_failed' | 'success' | 'failed';
      readonly reason: string;
      readonly details: Readonly<Record<string, unknown>>;
    };

/** What `finish` adds to a job's result: fields, and a reason to fail a job that succeeded
 * (a judge that named no winner). */
export interface WorkspaceFinish {
  readonly details: Readonly<Record<string, unknown>>;
  readonly failure?: string;
}

/** A command the workspace hook asks the engine to run (a worktree's setup), with the run's
 * process handling: its own process group, a deadline, the stop ladder. */
export interface WorkspaceCommand {
  readonly command: string;
  readonly cwd: string;
  readonly logPath: string;
  readonly timeoutSec: number;
}

/** An isolated job whose worktree is made where it runs (a pool's worker): what travels there as
 * git objects, and how its commit comes back (src/workspace/ makes it; the executor carries it). */
export interface TravellingWorkspace {
  /** The repository across runs: an id from its root commit and remote URL, and that URL. */
  readonly repo: { readonly id: string; readonly url: string | null };
  /** The commit the job starts from (the base plus its needs), named by `startRef`. */
  readonly start: string;
  readonly startRef: string;
  /** The ref the job's commit is named by, on either side (refs/parex/RUN/job/JOB). */
  readonly jobRef: string;
  /** The job's directory relative to the top of the repository ('' at the top). */
  readonly prefix: string;
  /** Directories (relative to the job's directory) made in the worktree. */
  readonly dirs: readonly string[];
  /** Set-up: paths copied from this machine (they travel like inputs), paths linked from the
   * worker's --workdir, a command run in the new worktree, its timeout and the local log. */
  readonly copy: readonly string[];
  readonly link: readonly string[];
  readonly setup: string | null;
  readonly setupTimeoutSec: number;
  readonly setupLog: string;
  /** The message of the job's commit. */
  readonly message: string;
  /** Writes a bundle of the start to `file`, leaving out what the commits `have` reach (those
   * this repository knows); all its history when `have` is empty. */
  bundle(have: readonly string[], file: string): Promise<{ readonly full: boolean }>;
  /** Takes the job's commit back from a bundle (null: the job changed nothing); resolves with
   * why it could not, or null once the commit is under `jobRef` here. */
  receive(commit: string, file: string | null): Promise<string | null>;
}

/** What the engine tells a workspace when the run starts. */
export interface WorkspaceContext {
  /** True when jobs run on other machines (a pool): isolated jobs get a TravellingWorkspace
   * instead of a worktree made here before they start. */
  readonly remote?: boolean;
  readonly runId: string;
  readonly logDir: string;
  readonly cwd: string;
  readonly jobs: readonly WorkspaceJob[];
  readonly onWarning: (message: string) => void;
  /** Runs a command to its end; resolves with its outcome and exit code. */
  readonly run: (command: WorkspaceCommand) => Promise<{
    readonly outcome: Outcome;
    readonly exitCode: number | null;
  }>;
}

/** The run's workspaces, as the engine calls them (src/workspace/ builds the git one). */
export interface WorkspaceHook {
  /** Before a job starts: its directory, or why it cannot start. */
  prepare(job: WorkspaceJob): Promise<WorkspaceReady>;
  /** After a job's last attempt: fields added to its completion line (commit, conflicts). */
  finish(job: WorkspaceJob, result: JobResult): Promise<WorkspaceFinish>;
  /** After the last job: the run's result, and worktrees removed or kept. */
  close(results: readonly JobResult[]): Promise<WorkspaceSummary>;
}

/** Makes the run's workspaces. */
export interface WorkspaceProvider {
  /** Throws UsageError when workspaces cannot work in `cwd` (not a git repository); writes nothing. */
  check(cwd: string): void;
  /** Opens the run's workspaces (the base snapshot) once the run is under way. */
  open(context: WorkspaceContext): Promise<WorkspaceHook>;
}

/** The run's workspaces at its end. */
export interface WorkspaceSummary {
  /** The base snapshot's commit (refs/parex/RUN/base). */
  readonly base: string;
  /** refs/parex/RUN/result's commit; null when nothing could be merged (see resultError). */
  readonly result: string | null;
  /** Why there is no result, e.g. the conflicting jobs and files. */
  readonly resultError: string | null;
  /** Worktrees kept for inspection (jobs that did not succeed), by job. */
  readonly kept: Readonly<Record<string, string>>;
  /** Pairs of jobs whose changes conflict. */
  readonly conflicts: readonly {
    readonly jobs: readonly [string, string];
    readonly files: readonly string[];
  }[];
}
