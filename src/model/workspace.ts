// The run's workspaces (git worktrees) as the engine sees them: src/workspace/ builds them.
import type { Outcome } from './outcome.js';
import type { JobResult } from './result.js';

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
