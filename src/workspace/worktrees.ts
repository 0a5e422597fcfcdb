// The git workspace of a run: the base snapshot, one worktree per isolated job starting from
// the base plus its needs' commits, the job's work committed at its end and checked against its
// siblings', and at the run's end the result merged and the worktrees of good jobs removed.
import { existsSync, rmdirSync } from 'node:fs';
import path from 'node:path';

import { type GraphNode, waves } from '../graph/topology.js';
import type { JobResult } from '../model/result.js';
import type {
  WorkspaceContext,
  WorkspaceHook,
  WorkspaceProvider,
  WorkspaceSummary,
} from '../model/workspace.js';
import { checkRepository, defaultWorktreesDir, ownPaths } from './check.js';
import { finishJob } from './finish.js';
import { git, gitOk } from './git.js';
import type { CandidateSpec, JudgeJobSpec } from './judge/types.js';
import { prepareJob } from './prepare.js';
import { baseRef } from './refs.js';
import { repoIdentity } from './repo-id.js';
import { buildResult } from './result.js';
import type { RunState } from './run-state.js';
import { NO_SETUP, type WorkspaceSetup } from './setup.js';
import { snapshotTree } from './snapshot.js';
import { listWorktrees, removeWorktree } from './worktree.js';

/** How a run's jobs are isolated. */
export interface WorktreeOptions {
  /** Names of the jobs that run in worktrees; null: every job. */
  readonly isolated: ReadonlySet<string> | null;
  /** Where the worktrees go; default under the user's cache directory. */
  readonly worktreesDir?: string | undefined;
  /** Every job's needs, also those of jobs reused from an earlier run; default the engine's. */
  readonly graph?: readonly GraphNode[];
  /** Commits of jobs reused from an earlier run, by name. */
  readonly reused?: ReadonlyMap<string, string>;
  /** Each job's copy/link/setup. */
  readonly setupOf?: (job: string) => WorkspaceSetup;
  /** Directories (relative to the run's directory) made in each worktree: the feature's dirs. */
  readonly dirs?: readonly string[];
  /** Directories of parex's own left out of snapshots and commits (besides .parex and the logs). */
  readonly ownDirs?: readonly string[];
  /** What asked for isolation, for errors ("isolation: worktree", "--isolate"). */
  readonly asked?: string;
  /** Best-of-N: candidate jobs and judge jobs. */
  readonly candidates?: ReadonlyMap<string, CandidateSpec>;
  readonly judges?: ReadonlyMap<string, JudgeJobSpec>;
  /** Worktrees of an earlier run's unfinished jobs, removed before this run starts. */
  readonly stale?: readonly string[];
}

/** The git worktree workspaces of a run. */
export function worktreeWorkspaces(options: WorktreeOptions): WorkspaceProvider {
  const asked = options.asked ?? 'isolation: worktree';
  return {
    check: (cwd) => {
      checkRepository(cwd, asked);
    },
    open: (context) => openWorkspaces(options, context, checkRepository(context.cwd, asked)),
  };
}

async function openWorkspaces(
  options: WorktreeOptions,
  context: WorkspaceContext,
  root: string,
): Promise<WorkspaceHook> {
  const { runId, cwd } = context;
  const worktreesDir = path.resolve(cwd, options.worktreesDir ?? defaultWorktreesDir(root));
  const runDir = path.join(worktreesDir, runId);
  const prefix = path.relative(root, cwd);
  const exclude = ownPaths(root, [
    path.resolve(cwd, '.parex'),
    context.logDir,
    worktreesDir,
    ...(options.ownDirs ?? []).map((dir) => path.resolve(cwd, dir)),
  ]);
  if (options.stale !== undefined && options.stale.length > 0)
    await removeStale(root, options.stale);
  const head = await git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: root });
  const base = await snapshotTree({
    root,
    exclude,
    parent: head.code === 0 ? head.stdout.trim() : null,
    message: `parex: base of run ${runId} (HEAD and the uncommitted changes)`,
  });
  await gitOk(['update-ref', baseRef(runId), base], { cwd: root });
  const state: RunState = {
    context,
    repo: context.remote === true ? await repoIdentity(root) : null,
    root,
    prefix,
    runDir,
    base,
    exclude,
    snapshots: new Map(),
    graph: new Map((options.graph ?? context.jobs).map((node) => [node.name, node])),
    isIsolated: (name) => options.isolated === null || options.isolated.has(name),
    setupOf: (name) => options.setupOf?.(name) ?? NO_SETUP,
    dirs: options.dirs ?? [],
    commits: new Map(options.reused ?? []),
    placed: new Map(),
    finished: [],
    conflicts: [],
    candidates: options.candidates ?? new Map(),
    judges: options.judges ?? new Map(),
    verdicts: new Map(),
  };
  return {
    prepare: (job) => prepareJob(state, job),
    finish: (job, result) => finishJob(state, job, result),
    close: (results) => closeWorkspaces(state, results),
  };
}

/** Removes those of `dirs` that are worktrees of parex branches of this repository, no others. */
async function removeStale(root: string, dirs: readonly string[]): Promise<void> {
  const worktrees = await listWorktrees(root);
  for (const dir of dirs) {
    if (worktrees.get(dir)?.startsWith('refs/heads/parex/') === true)
      await removeWorktree(root, dir);
  }
}

async function closeWorkspaces(
  state: RunState,
  results: readonly JobResult[],
): Promise<WorkspaceSummary> {
  const { root, base, placed, runDir } = state;
  const order = waves([...state.graph.values()]).flat();
  const good = order.flatMap((name) => {
    const commit = state.commits.get(name);
    return commit === undefined ? [] : [{ name, commit }];
  });
  const result = await buildResult(root, state.context.runId, base, good);
  const kept: Record<string, string> = {};
  for (const job of results) {
    const place = placed.get(job.name);
    if (place === undefined) continue;
    if (job.outcome === 'success') await removeWorktree(root, place.dir);
    else if (existsSync(place.dir)) kept[job.name] = place.dir;
  }
  try {
    rmdirSync(runDir); // only when empty
  } catch {
    // kept worktrees, or never made
  }
  return {
    base,
    result: result.ok ? result.commit : null,
    resultError: result.ok ? null : result.reason,
    kept,
    conflicts: state.conflicts,
  };
}
