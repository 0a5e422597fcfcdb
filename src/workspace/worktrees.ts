// The git workspace of a run: the base snapshot, one worktree per isolated job starting from
// the base plus its needs' commits, the job's work committed at its end and checked against its
// siblings', and at the run's end the result merged and the worktrees of good jobs removed.
import { mkdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';

import { ancestors, type GraphNode, waves } from '../graph/topology.js';
import type {
  JobResult,
  WorkspaceContext,
  WorkspaceHook,
  WorkspaceProvider,
  WorkspaceSummary,
} from '../model.js';
import { resolveInside } from '../names/inside-root.js';
import { checkRepository, defaultWorktreesDir, ownPaths } from './check.js';
import { changeStats, commitWork, writePatch } from './commit.js';
import { checkPair, type FinishedWork } from './conflicts.js';
import { git, gitOk } from './git.js';
import { baseRef, jobBranch, jobRef } from './refs.js';
import { buildResult } from './result.js';
import { NO_SETUP, setUpWorktree, type WorkspaceSetup } from './setup.js';
import { snapshotTree } from './snapshot.js';
import { startPoint } from './start-point.js';
import { addWorktree, listWorktrees, removeWorktree } from './worktree.js';

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
  /** Worktrees of an earlier run's unfinished jobs, removed before this run starts. */
  readonly stale?: readonly string[];
}

interface Placed {
  readonly dir: string;
  readonly cwd: string;
  readonly start: string;
  readonly exclude: readonly string[];
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
  const graph = options.graph ?? context.jobs;
  const needsOf = new Map(graph.map((node) => [node.name, node.needs]));
  const isIsolated = (name: string) => options.isolated === null || options.isolated.has(name);
  const commits = new Map<string, string>(options.reused ?? []);
  const placed = new Map<string, Placed>();
  const finished: FinishedWork[] = [];
  const conflicts: { jobs: [string, string]; files: string[] }[] = [];
  const related = (a: string, b: string) =>
    ancestors(graph, a).has(b) || ancestors(graph, b).has(a);

  return {
    prepare: async (job) => {
      if (!isIsolated(job.name)) return { ok: true, cwd: null, details: {} };
      const needs = (needsOf.get(job.name) ?? job.needs).flatMap((need) => {
        const commit = commits.get(need);
        return commit === undefined ? [] : [{ name: need, commit }];
      });
      const start = await startPoint(root, runId, job.name, base, needs);
      if (!start.ok) {
        return {
          ok: false,
          outcome: 'conflict',
          reason: start.reason,
          details: {
            isolation: 'worktree',
            base_commit: base,
            conflicts: [{ jobs: start.jobs, files: start.files }],
          },
        };
      }
      const dir = resolveInside(runDir, job.name);
      await addWorktree(root, dir, jobBranch(runId, job.name), start.commit);
      const jobCwd = path.join(dir, prefix);
      for (const made of [
        jobCwd,
        ...(options.dirs ?? []).map((entry) => path.resolve(jobCwd, entry)),
      ]) {
        mkdirSync(made, { recursive: true });
      }
      const setup = options.setupOf?.(job.name) ?? NO_SETUP;
      const details = {
        isolation: 'worktree',
        workspace: dir,
        workdir: jobCwd,
        base_commit: start.commit,
      };
      placed.set(job.name, {
        dir,
        cwd: jobCwd,
        start: start.commit,
        exclude: [...setup.copy, ...setup.link].map((entry) => path.join(prefix, entry)),
      });
      const setupLog = resolveInside(context.logDir, `${job.name}.setup.log`);
      const failure = await setUpWorktree(context, setup, jobCwd, setupLog, context.onWarning);
      if (failure !== null) {
        return {
          ok: false,
          outcome: 'setup_failed',
          reason: failure,
          details: { ...details, setup_log: setupLog },
        };
      }
      return {
        ok: true,
        cwd: jobCwd,
        details: setup.setup === null ? details : { ...details, setup_log: setupLog },
      };
    },

    finish: async (job, result) => {
      const place = placed.get(job.name);
      if (place === undefined) return {};
      try {
        const message = `parex: ${job.name} (run ${runId}): ${result.outcome}`;
        const commit = await commitWork(place.dir, message, place.exclude);
        await gitOk(['update-ref', jobRef(runId, job.name), commit], { cwd: root });
        const stats = await changeStats(root, place.start, commit);
        const patch = resolveInside(context.logDir, `${job.name}.patch`);
        await writePatch(root, place.start, commit, patch);
        const fields = { commit, ...stats, patch };
        if (result.outcome !== 'success') return fields;
        commits.set(job.name, commit);
        const mine: FinishedWork = { name: job.name, commit, changed: stats.changed_files };
        const others = finished.filter((other) => !related(other.name, job.name));
        finished.push(mine);
        const found: { job: string; files: readonly string[]; hunks: number }[] = [];
        const overlaps: { job: string; files: readonly string[] }[] = [];
        for (const other of others) {
          const check = await checkPair(root, other, mine);
          if (check.overlap.length > 0) overlaps.push({ job: other.name, files: check.overlap });
          if (check.conflicts.length === 0) continue;
          found.push({ job: other.name, files: check.conflicts, hunks: check.hunks });
          conflicts.push({ jobs: [other.name, job.name], files: [...check.conflicts] });
          context.onWarning(
            `[parex] warning: ${job.name} and ${other.name} conflict in ${check.conflicts.join(', ')} (${check.hunks} hunk${check.hunks === 1 ? '' : 's'}): a job needing both cannot start, and the run has no result`,
          );
        }
        return { ...fields, conflicts: found, overlaps };
      } catch (error) {
        context.onWarning(
          `[parex] warning: could not record the work of ${job.name}: ${String(error)}`,
        );
        return { workspace_error: String(error) };
      }
    },

    close: (results) =>
      closeWorkspaces(root, runId, runDir, base, results, placed, graph, commits, conflicts),
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
  root: string,
  runId: string,
  runDir: string,
  base: string,
  results: readonly JobResult[],
  placed: ReadonlyMap<string, Placed>,
  graph: readonly GraphNode[],
  commits: ReadonlyMap<string, string>,
  conflicts: WorkspaceSummary['conflicts'],
): Promise<WorkspaceSummary> {
  const order = waves(graph).flat();
  const good = order.flatMap((name) => {
    const commit = commits.get(name);
    return commit === undefined ? [] : [{ name, commit }];
  });
  const result = await buildResult(root, runId, base, good);
  const kept: Record<string, string> = {};
  for (const job of results) {
    const place = placed.get(job.name);
    if (place === undefined) continue;
    if (job.outcome === 'success') await removeWorktree(root, place.dir);
    else kept[job.name] = place.dir;
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
    conflicts,
  };
}
