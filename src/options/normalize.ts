// Library options in, a validated plan of the group out: every default and every check of a run.
import path from 'node:path';
import type { StartAdmission } from '../engine/admission.js';

import type { ExecutorFactory } from '../engine/executor.js';
import { UsageError } from '../errors.js';
import type { GroupEvent } from '../model/events.js';
import type { JobSpec, JobSpending, JobVerdict, OutputWatcher, SideFile } from '../model/job.js';
import type { JobResult } from '../model/result.js';
import type { TravellingWorkspace, WorkspaceProvider } from '../model/workspace.js';
import { assertValidName } from '../names/validate.js';
import type { Redactor } from '../redact/redactor.js';
import { DEFAULTS, ENVIRONMENT } from './defaults.js';
import { type JobSource, type PlannedJobs, planJobs } from './job-list.js';
import { validateConcurrency, validateSeconds } from './numbers.js';
import { makeRunId } from './run-id.js';
import { runRedactor, withoutVariables } from './secrets.js';
import { validateOptionTypes } from './validate-options.js';

/** What a caller may ask of runGroup. */
export interface GroupOptions {
  /** The jobs: shell command lines (named job1..jobN) or full job specs; or a source that gives
   * them one at a time (planned when each starts, so that 100,000 jobs keep little memory). */
  readonly jobs: readonly (JobSpec | string)[] | JobSource;
  /** Which results the group's result keeps: 'all' (the default), or 'unsuccessful' (the
   * successes are only counted, in `omitted`: a run of 100,000 jobs keeps no result of a success). */
  readonly keepResults?: 'all' | 'unsuccessful';
  /** At most this many jobs at once; 0 (the default) runs them all at once. */
  readonly concurrency?: number;
  /** Seconds each job may run before it is stopped; 0 means no limit. Default 600. */
  readonly timeoutSec?: number;
  /** Seconds a job may print nothing before it is stopped as stalled; 0 (the default) means never. */
  readonly idleTimeoutSec?: number;
  /** Seconds between one stop signal and the next. Default 5. */
  readonly killAfterSec?: number;
  /** Where logs and the manifest go. Default `.parex/runs/RUN_ID` under `cwd`. */
  readonly logDir?: string;
  /** Recorded on every manifest line. */
  readonly feature?: string | null;
  /** Recorded on every manifest line. */
  readonly group?: string | null;
  /** The run id recorded on every manifest line; made up when absent. */
  readonly runId?: string;
  /** The jobs' working directory. Default process.cwd(). */
  readonly cwd?: string;
  /** The jobs' environment. Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Aborting it stops every running job the way a timeout does; queued jobs never start. */
  readonly signal?: AbortSignal;
  /** Aborting it skips what is left of the grace periods: SIGKILL at once. */
  readonly forceSignal?: AbortSignal;
  /** Told of every start, stop signal and end. */
  readonly onEvent?: (event: GroupEvent) => void;
  /** Run even if another live parex holds the log directory's lock. */
  readonly force?: boolean;
  /** Names (or patterns with "*") of variables removed from the jobs' environment. */
  readonly unsetEnv?: readonly string[];
  /** Patterns of variable names whose values are secrets, added to DEFAULTS.secretPatterns. */
  readonly secretPatterns?: readonly string[];
  /** Retries of a job whose failure looks transient (429, overloaded, ...). Default 0. */
  readonly retries?: number;
  /** The first retry's wait in seconds; each next one waits twice as long. Default 2. */
  readonly retryDelaySec?: number;
  /** Milliseconds between two job starts. Default 0. */
  readonly staggerMs?: number;
  /** Milliseconds between two starts of jobs with the same start key (one agent CLI). Default 0. */
  readonly staggerSameKeyMs?: number;
  /** Told of things the user should know that do not stop the run (a stale lock taken over). */
  readonly onWarning?: (message: string) => void;
  /** Start jobs that read no input through the fork server (needs perl). Default true, or false
   * when PAREX_FORK_SERVER=0. */
  readonly forkServer?: boolean;
  /** At the first job that does not succeed, stop the running jobs and start no more. Default false. */
  readonly failFast?: boolean;
  /** Decides when each job may start (budgets, per-agent caps, rate-limit pauses); all at once when absent. */
  readonly admission?: StartAdmission;
  /** Gives jobs their own workspaces (git worktrees, src/workspace/); none by default. */
  readonly workspace?: WorkspaceProvider | null;
  /** Runs the jobs somewhere else than on this machine (a pool, src/pool/); local when absent. */
  readonly executor?: ExecutorFactory;
  /** Makes the caller's own directories once the executor is open (a pool reached and its
   * checks passed) and before the run writes anything; may throw a UsageError. */
  readonly prepareDirs?: () => void;
}

/** One job, ready to spawn. */
export interface PlannedJob {
  readonly name: string;
  readonly argv: readonly [string, ...string[]];
  readonly command: string;
  readonly input: string | Uint8Array | null;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutSec: number;
  readonly idleTimeoutSec: number;
  readonly stopSignals: readonly NodeJS.Signals[];
  readonly logPath: string;
  readonly needs: readonly string[];
  /** Jobs that must have ended, whatever their outcome, before it starts. */
  readonly after: readonly string[];
  readonly cwd: string | null;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** The side files parex names in its argv or env (a pool's worker makes its own). */
  readonly sideFiles?: readonly SideFile[];
  readonly runsOn: readonly string[];
  readonly attempt: number;
  readonly manifestFields: Readonly<Record<string, unknown>>;
  readonly evaluate: ((result: JobResult) => Promise<JobVerdict> | JobVerdict) | null;
  readonly watch: (() => OutputWatcher) | null;
  readonly startKey: string | null;
  /** The agent CLI whose events the log holds; null for commands. */
  readonly agent: string | null;
  readonly spending: JobSpending;
  /** Set by the workspace hook when the job's worktree is made where it runs (a pool). */
  readonly workspace?: TravellingWorkspace;
}

/** A group, validated and with every default applied. */
export interface GroupPlan {
  readonly jobs: PlannedJobs;
  readonly keepResults: 'all' | 'unsuccessful';
  readonly concurrency: number;
  readonly killAfterSec: number;
  readonly logDir: string;
  readonly manifestPath: string;
  readonly feature: string | null;
  readonly group: string | null;
  readonly runId: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly signal: AbortSignal | null;
  readonly forceSignal: AbortSignal | null;
  readonly onEvent: (event: GroupEvent) => void;
  readonly force: boolean;
  readonly onWarning: (message: string) => void;
  /** Hides the values of the run's secrets in what parex writes and prints. */
  readonly redactor: Redactor;
  /** The --secret-env patterns the redactor was built with (a pool's workers build theirs). */
  readonly secretPatterns: readonly string[];
  /** Redacts the free-text fields of a record (a manifest line); the same as redactor.record. */
  readonly redact: <T>(value: T) => T;
  readonly retries: number;
  readonly retryDelaySec: number;
  readonly staggerMs: number;
  readonly staggerSameKeyMs: number;
  readonly forkServer: boolean;
  readonly failFast: boolean;
  readonly admission: StartAdmission | null;
  readonly workspace: WorkspaceProvider | null;
}

/** Applies the defaults and validates everything; throws a UsageError before anything happens. */
export function normalizeGroupOptions(options: GroupOptions): GroupPlan {
  validateOptionTypes(options);
  const {
    jobs,
    concurrency = DEFAULTS.concurrency,
    timeoutSec = DEFAULTS.timeoutSec,
    idleTimeoutSec = DEFAULTS.idleTimeoutSec,
    killAfterSec = DEFAULTS.killAfterSec,
    feature = null,
    group = null,
    runId = makeRunId(),
    cwd = process.cwd(),
    env = process.env,
    signal = null,
    forceSignal = null,
    onEvent = () => {},
    force = false,
    onWarning = () => {},
    unsetEnv = [],
    secretPatterns = [],
    retries = DEFAULTS.retries,
    retryDelaySec = DEFAULTS.retryDelaySec,
    staggerMs = DEFAULTS.staggerMs,
    staggerSameKeyMs = 0,
    forkServer = process.env[ENVIRONMENT.forkServer] !== '0' && DEFAULTS.forkServer,
    failFast = DEFAULTS.failFast,
    workspace = null,
  } = options;
  validateConcurrency(retries, 'the number of retries');
  validateSeconds(retryDelaySec, 'the retry delay', '0 retries at once');
  validateSeconds(staggerMs, 'the stagger', '0 starts jobs together', undefined, 1);
  validateSeconds(staggerSameKeyMs, 'the stagger of one agent', '0 turns it off', undefined, 1);
  if ((jobs?.length ?? 0) === 0) {
    throw new UsageError(
      'no jobs to run',
      'a group needs at least one command',
      'pass one or more commands, e.g. parex exec -- "sleep 1" "echo hi"',
    );
  }
  validateSeconds(timeoutSec, 'the timeout', '0 means no timeout');
  validateSeconds(idleTimeoutSec, 'the idle timeout', '0 means a silent job is never stopped');
  validateSeconds(killAfterSec, 'the kill-after grace', '0 sends SIGKILL right after SIGTERM');
  const limit = validateConcurrency(concurrency, 'the number of jobs at once');
  if (feature !== null) assertValidName(feature, 'feature name');
  if (group !== null) assertValidName(group, 'group name');
  assertValidName(runId, 'run id');
  if (options.logDir !== undefined && options.logDir.trim() === '') {
    throw new UsageError(
      'the log directory is an empty string',
      'an empty path would put every log and the manifest in the current directory',
      'give a directory, or leave --log-dir (and PAREX_LOG_DIR) unset for .parex/runs/RUN_ID',
    );
  }
  const logDir = path.resolve(cwd, options.logDir ?? path.join(DEFAULTS.runsDir, runId));
  const planned = planJobs(jobs, logDir, timeoutSec, idleTimeoutSec);
  const redactor = runRedactor({ env, jobEnvs: planned.envs, patterns: secretPatterns });
  return {
    jobs: planned,
    keepResults: options.keepResults ?? 'all',
    concurrency: limit === 0 ? planned.length : Math.min(limit, planned.length),
    killAfterSec,
    logDir,
    manifestPath: path.join(logDir, DEFAULTS.manifestName),
    feature,
    group,
    runId,
    cwd,
    env: { ...withoutVariables(env, unsetEnv) },
    signal,
    forceSignal,
    onEvent,
    force,
    onWarning,
    redactor,
    secretPatterns,
    redact: redactor.record,
    retries,
    retryDelaySec,
    staggerMs,
    staggerSameKeyMs,
    forkServer,
    failFast: failFast === true,
    admission: options.admission ?? null,
    workspace,
  };
}
