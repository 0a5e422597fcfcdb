// Conflicts found at the barrier: once two jobs with no needs between them have both finished,
// their commits are merged in memory. Files both changed are overlaps; files that do not merge
// are conflicts. Jobs whose changed paths do not meet (neither the same path nor one inside the
// other) cannot conflict, so they cost no git command.
import { conflictHunks, mergeTrees } from './merge.js';

/** A finished job's work, as the check needs it. */
export interface FinishedWork {
  readonly name: string;
  readonly commit: string;
  /** Paths the job itself changed (against its start). */
  readonly changed: readonly string[];
}

/** What the check found between two jobs. */
export interface PairCheck {
  /** Paths both changed. */
  readonly overlap: readonly string[];
  /** Paths that do not merge; empty when the two merge cleanly. */
  readonly conflicts: readonly string[];
  /** Conflict hunks over all conflicting files. */
  readonly hunks: number;
}

/** Checks jobs `a` and `b` against each other. */
export async function checkPair(
  root: string,
  a: FinishedWork,
  b: FinishedWork,
): Promise<PairCheck> {
  const theirs = new Set(b.changed);
  const overlap = a.changed.filter((file) => theirs.has(file));
  if (overlap.length === 0 && !pathsMeet(a.changed, b.changed)) {
    return { overlap, conflicts: [], hunks: 0 };
  }
  const merge = await mergeTrees(root, a.commit, b.commit);
  if (merge.clean) return { overlap, conflicts: [], hunks: 0 };
  let hunks = 0;
  for (const file of merge.files) hunks += await conflictHunks(root, merge.tree, file);
  return { overlap, conflicts: merge.files, hunks };
}

/** True when a path of one list is a path of the other or a directory above one of them. */
function pathsMeet(a: readonly string[], b: readonly string[]): boolean {
  const dirs = (files: readonly string[]) => {
    const found = new Set<string>();
    for (const file of files) {
      for (let at = file.indexOf('/'); at > 0; at = file.indexOf('/', at + 1))
        found.add(file.slice(0, at));
    }
    return found;
  };
  const aDirs = dirs(a);
  const bDirs = dirs(b);
  return a.some((file) => bDirs.has(file)) || b.some((file) => aDirs.has(file));
}
