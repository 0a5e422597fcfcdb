// Before an isolated job starts: its start commit (base plus needs), its worktree on its own
// branch, and its set-up. Needs that do not merge make it a `conflict`; a failed set-up, or git
// failing, a `setup_failed`: both recorded as the job's result, never thrown.
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { ancestorsIn } from '../graph/topology.js';
import type { WorkspaceJob, WorkspaceReady } from '../model/workspace.js';
import { resolveInside } from '../names/inside-root.js';
import { settleJudge } from './judge/select.js';
import { jobBranch } from './refs.js';
import type { RunState } from './run-state.js';
import { setUpWorktree } from './setup.js';
import { snapshotTree } from './snapshot.js';
import { startPoint } from './start-point.js';
import { travellingWorkspace } from './travel.js';
import { addWorktree } from './worktree.js';

/** Places job `job` in its worktree, or says why it cannot start. */
export async function prepareJob(state: RunState, job: WorkspaceJob): Promise<WorkspaceReady> {
  const judge = state.judges.get(job.name);
  if (judge !== undefined && judge.kind !== 'agent') return settleJudge(state, job.name, judge);
  if (!state.isIsolated(job.name)) return { ok: true, cwd: null, details: {} };
  try {
    return await placeJob(state, job);
  } catch (error) {
    return {
      ok: false,
      outcome: 'setup_failed',
      reason: `could not make the worktree: ${error instanceof Error ? error.message : String(error)}`,
      details: { isolation: 'worktree' },
    };
  }
}

async function placeJob(state: RunState, job: WorkspaceJob): Promise<WorkspaceReady> {
  const { context, root, base } = state;
  // An agent judge looks at the candidates from the base; it does not merge them.
  const needNames = state.judges.has(job.name)
    ? []
    : (state.graph.get(job.name)?.needs ?? job.needs);
  const needs = needNames.flatMap((need) => {
    const commit = state.commits.get(need);
    return commit === undefined ? [] : [{ name: need, commit }];
  });
  const start = await startPoint(root, context.runId, job.name, await baseOf(state, job), needs);
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
  const dir = resolveInside(state.runDir, job.name);
  const cwd = path.join(dir, state.prefix);
  const remote = state.context.remote === true;
  const setup = state.setupOf(job.name);
  const setupLog = resolveInside(context.logDir, `${job.name}.setup.log`);
  const details = {
    isolation: 'worktree',
    workspace: dir,
    workdir: cwd,
    base_commit: start.commit,
    ...(setup.setup === null ? {} : { setup_log: setupLog }),
  };
  const placed = {
    dir,
    cwd,
    start: start.commit,
    exclude: [...setup.copy, ...setup.link].map((entry) => path.join(state.prefix, entry)),
    remote,
  };
  if (remote) {
    // Its directory here is read after it ran when it is evaluated there, or judged.
    const checkout = job.evaluated === true || state.candidates.has(job.name);
    const place = { dir, start: start.commit, setup, setupLog, dirs: state.dirs, checkout };
    const { travel, returned } = await travellingWorkspace(state, job.name, place);
    state.placed.set(job.name, { ...placed, returned });
    return { ok: true, cwd, details, travel };
  }
  await addWorktree(root, dir, jobBranch(context.runId, job.name), start.commit);
  state.placed.set(job.name, placed);
  for (const made of [cwd, ...state.dirs.map((entry) => path.resolve(cwd, entry))]) {
    mkdirSync(made, { recursive: true });
  }
  const failure = await setUpWorktree(context, setup, cwd, setupLog, context.onWarning);
  if (failure !== null) return { ok: false, outcome: 'setup_failed', reason: failure, details };
  return { ok: true, cwd, details };
}

/**
 * The commit a job's needs are merged into: the run's base, or, when the job comes after jobs
 * that ran outside worktrees (in the user's tree), a snapshot of the user's tree as they left it,
 * on top of the base. One snapshot per set of such jobs.
 */
function baseOf(state: RunState, job: WorkspaceJob): Promise<string> {
  const outside = [...ancestorsIn(state.graph, job.name)].filter(
    (name) => !state.isIsolated(name) && !state.commits.has(name),
  );
  if (outside.length === 0 || state.judges.has(job.name)) return Promise.resolve(state.base);
  const key = outside.sort().join(' ');
  let snapshot = state.snapshots.get(key);
  if (snapshot === undefined) {
    snapshot = snapshotTree({
      root: state.root,
      exclude: state.exclude,
      parent: state.base,
      message: `parex: the working tree after ${outside.join(', ')} (run ${state.context.runId})`,
    });
    state.snapshots.set(key, snapshot);
  }
  return snapshot;
}
