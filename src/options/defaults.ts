// Every default of parex, in one place.

/** Defaults used when neither a flag, an environment variable nor a library option says otherwise. */
export const DEFAULTS = {
  /** Seconds a job may run before it is stopped. */
  timeoutSec: 600,
  /** Seconds a job may print nothing before it is stopped as stalled; 0 means never. */
  idleTimeoutSec: 0,
  /** Seconds between one stop signal and the next (SIGTERM, then SIGKILL). */
  killAfterSec: 5,
  /** Jobs running at once; 0 means all of them. */
  concurrency: 0,
  /** Where runs without --log-dir keep their logs: RUNS_DIR/RUN_ID/. */
  runsDir: '.parex/runs',
  /** The signals of the stop ladder, in order; the last one cannot be ignored. */
  stopSignals: ['SIGTERM', 'SIGKILL'] as readonly NodeJS.Signals[],
  /** The shell that runs command lines. */
  shell: '/bin/sh',
  /** Names of variables whose values are secrets (compared ignoring case), hidden in every record
   * and output of a run. */
  secretPatterns: [
    '*_API_KEY',
    '*_TOKEN',
    '*_SECRET',
    '*_SECRET_*',
    '*_PASSWORD*',
    '*_CREDENTIALS',
    '*_PRIVATE_KEY',
  ] as readonly string[],
  /** Values of variables named by a default pattern shorter than this are not hidden (a value
   * such as "postgres" or "2026" is more likely a setting than a secret); --secret-env forces any. */
  secretMinLength: 8,
  /** Lines of a failed job's log kept (redacted) on its completion line, for report and status. */
  failureTailLines: 20,
  /** Retries of a job whose failure looks transient; 0 means none. */
  retries: 0,
  /** Seconds before the first retry; each next retry waits twice as long. */
  retryDelaySec: 2,
  /** Milliseconds between two job starts; 0 starts them together. */
  staggerMs: 0,
  /** The largest workflow file parex reads, in bytes (10 MB). */
  maxWorkflowBytes: 10 * 1024 * 1024,
  /** Seconds between two starts of one agent CLI in a workflow run (its shared state races). */
  staggerSameAgentSec: 1,
  /** The manifest's file name inside the log directory. */
  manifestName: 'manifest.jsonl',
  /** Start jobs that read no input through the fork server, a small perl process (see docs/design.md). */
  forkServer: true,
  /** Seconds a worktree's workspace.setup command may take. */
  setupTimeoutSec: 600,
  /** Stop the whole run at the first job that does not succeed. */
  failFast: false,
  /** What of the jobs' own output is shown: see OUTPUT_MODES in src/options/output.ts. */
  output: 'errors',
  /** Lines of a failed job's log shown after the summary in the `errors` output mode. */
  errorTailLines: 20,
  /** Failed jobs whose log tails are shown after the summary, at most. */
  errorTailJobs: 20,
  /** Seconds between two progress lines on a non-terminal. */
  progressEverySec: 10,
} as const;

/** Environment variables read by the CLI for each setting (flag > environment > default). */
export const ENVIRONMENT = {
  jobs: 'PAREX_JOBS',
  logDir: 'PAREX_LOG_DIR',
  feature: 'PAREX_FEATURE',
  group: 'PAREX_GROUP',
  timeout: 'PAREX_TIMEOUT',
  killAfter: 'PAREX_KILL_AFTER',
  idleTimeout: 'PAREX_IDLE_TIMEOUT',
  retries: 'PAREX_RETRIES',
  stagger: 'PAREX_STAGGER',
  /** 0 starts every job with Node's spawn instead of the fork server. */
  forkServer: 'PAREX_FORK_SERVER',
  /** errors, stream or none (--output). */
  output: 'PAREX_OUTPUT',
  /** The pool's Redis URL: jobs run on `parex worker`s (docs/distributed.md). */
  redis: 'PAREX_REDIS',
} as const;
