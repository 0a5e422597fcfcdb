// What the workspaces of one run share while it runs: the repository, the base, the commits of
// finished jobs, the worktrees made, and the conflicts found so far.
import type { GraphNode } from '../graph/topology.js';
import type { WorkspaceContext, WorkspaceSummary } from '../model/workspace.js';
import type { FinishedWork } from './conflicts.js';
import type { CandidateSpec, CandidateVerdict, JudgeJobSpec } from './judge/types.js';
import type { RepoIdentity } from './repo-id.js';
import type { WorkspaceSetup } from './setup.js';

/** One job's worktree. */
export interface Placed {
  readonly dir: string;
  readonly cwd: string;
  /** The commit it started from. */
  readonly start: string;
  /** Paths left out of its commit: what was copied or linked in. */
  readonly exclude: readonly string[];
  /** True when the job runs elsewhere: its commit comes back under its ref, and the worktree
   * here is made only when something reads it (its evaluation, a judge, a failed job kept). */
  readonly remote?: boolean;
  /** For a job run elsewhere: the commit that came back (its last attempt's), or null. */
  readonly returned?: () => string | null;
}

/** The run's workspace state. */
export interface RunState {
  readonly context: WorkspaceContext;
  /** The repository's identity when jobs run elsewhere (a pool); null for a local run. */
  readonly repo: RepoIdentity | null;
  /** The top of the user's working tree. */
  readonly root: string;
  /** The run's directory relative to root ('' at the top). */
  readonly prefix: string;
  /** Where this run's worktrees go: WORKTREES_DIR/RUN. */
  readonly runDir: string;
  readonly base: string;
  /** Paths of parex's own left out of snapshots. */
  readonly exclude: readonly string[];
  /** Snapshots of the user's tree taken for jobs that need jobs run outside worktrees, by those jobs. */
  readonly snapshots: Map<string, Promise<string>>;
  readonly graph: ReadonlyMap<string, GraphNode>;
  readonly isIsolated: (name: string) => boolean;
  readonly setupOf: (name: string) => WorkspaceSetup;
  /** Directories made in every worktree. */
  readonly dirs: readonly string[];
  /** Commits of jobs that succeeded (and of reused ones), by name. */
  readonly commits: Map<string, string>;
  readonly placed: Map<string, Placed>;
  /** Successful jobs in the order they finished, for the barrier checks. */
  readonly finished: FinishedWork[];
  readonly conflicts: WorkspaceSummary['conflicts'][number][];
  /** Best-of-N: the candidate jobs, the judge jobs, and each judged candidate. */
  readonly candidates: ReadonlyMap<string, CandidateSpec>;
  readonly judges: ReadonlyMap<string, JudgeJobSpec>;
  readonly verdicts: Map<string, CandidateVerdict>;
}
