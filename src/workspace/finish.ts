// After an isolated job's last attempt: its work committed on its branch (any outcome), its
// patch written, and, when it succeeded, its commit checked against every sibling that finished
// before it (jobs with no needs between them).
import { ancestors } from '../graph/topology.js';
import type { JobResult, WorkspaceJob } from '../model.js';
import { resolveInside } from '../names/inside-root.js';
import { changeStats, commitWork, writePatch } from './commit.js';
import { checkPair, type FinishedWork } from './conflicts.js';
import { gitOk } from './git.js';
import { jobRef } from './refs.js';
import type { RunState } from './run-state.js';

/** The fields of the job's completion line: commit, changed files, conflicts, overlaps. */
export async function finishJob(
  state: RunState,
  job: WorkspaceJob,
  result: JobResult,
): Promise<Readonly<Record<string, unknown>>> {
  const place = state.placed.get(job.name);
  if (place === undefined) return {};
  const { root, context } = state;
  try {
    const message = `parex: ${job.name} (run ${context.runId}): ${result.outcome}`;
    const commit = await commitWork(place.dir, message, place.exclude);
    await gitOk(['update-ref', jobRef(context.runId, job.name), commit], { cwd: root });
    const stats = await changeStats(root, place.start, commit);
    const patch = resolveInside(context.logDir, `${job.name}.patch`);
    await writePatch(root, place.start, commit, patch);
    const fields = { commit, ...stats, patch };
    if (result.outcome !== 'success') return fields;
    state.commits.set(job.name, commit);
    return {
      ...fields,
      ...(await checkSiblings(state, { name: job.name, commit, changed: stats.changed_files })),
    };
  } catch (error) {
    context.onWarning(
      `[parex] warning: could not record the work of ${job.name}: ${String(error)}`,
    );
    return { workspace_error: String(error) };
  }
}

async function checkSiblings(state: RunState, mine: FinishedWork) {
  const related = (other: string) =>
    ancestors(state.graph, other).has(mine.name) || ancestors(state.graph, mine.name).has(other);
  // Taken and added at once, so that of two jobs finishing together one checks the other.
  const others = state.finished.filter((other) => !related(other.name));
  state.finished.push(mine);
  const conflicts: { job: string; files: readonly string[]; hunks: number }[] = [];
  const overlaps: { job: string; files: readonly string[] }[] = [];
  for (const other of others) {
    const check = await checkPair(state.root, other, mine);
    if (check.overlap.length > 0) overlaps.push({ job: other.name, files: check.overlap });
    if (check.conflicts.length === 0) continue;
    conflicts.push({ job: other.name, files: check.conflicts, hunks: check.hunks });
    state.conflicts.push({ jobs: [other.name, mine.name], files: check.conflicts });
    const hunks = `${check.hunks} hunk${check.hunks === 1 ? '' : 's'}`;
    state.context.onWarning(
      `[parex] warning: ${mine.name} and ${other.name} conflict in ${check.conflicts.join(', ')} (${hunks}): a job needing both cannot start, and the run has no result`,
    );
  }
  return { conflicts, overlaps };
}
