// The barrier check of one job that succeeded: its commit against that of every job that
// finished before it with no needs between them. Conflicts are warned about at once.
import { ancestorsIn } from '../graph/topology.js';
import { checkPair, type FinishedWork } from './conflicts.js';
import type { RunState } from './run-state.js';

/** The conflicts and overlaps of `mine` with the jobs finished before it; records it as finished. */
export async function checkSiblings(state: RunState, mine: FinishedWork) {
  const related = (other: string) =>
    ancestorsIn(state.graph, other).has(mine.name) ||
    ancestorsIn(state.graph, mine.name).has(other);
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
