// Applying a run's result (or one job's commit) to the user's working tree: a three-way merge
// against the run's base, computed in memory first, so that nothing is touched when the user
// has since changed the same lines. Only the working tree changes; the user's index stays as it is.
import { git, gitOk } from './git.js';
import { mergeTrees } from './merge.js';
import { snapshotTree } from './snapshot.js';

/** What applying did, or why it refused. */
export type ApplyOutcome =
  | { readonly ok: true; readonly files: readonly string[] }
  | { readonly ok: false; readonly reason: string; readonly files: readonly string[] };

/** Applies `commit` (made on `base`) to the working tree at `root`; `exclude`: parex's own paths. */
export async function applyCommit(
  root: string,
  base: string,
  commit: string,
  exclude: readonly string[],
): Promise<ApplyOutcome> {
  // The user's tree now, as a commit on the base: the merge then has the base as its merge base.
  const current = await snapshotTree({
    root,
    exclude,
    parent: base,
    message: 'parex: the working tree before apply',
  });
  const merge = await mergeTrees(root, current, commit);
  if (!merge.clean) {
    return {
      ok: false,
      reason: `your working tree has changes since the run started that conflict with it in ${merge.files.join(', ')}`,
      files: merge.files,
    };
  }
  const names = await gitOk(['diff', '--name-only', '-z', '--no-renames', current, merge.tree], {
    cwd: root,
  });
  const files = names.split('\0').filter((name) => name !== '');
  if (files.length === 0) return { ok: true, files };
  const patch = await git(['diff', '--binary', '--no-color', '--no-renames', current, merge.tree], {
    cwd: root,
  });
  const applied = await git(['apply', '--whitespace=nowarn', '-'], {
    cwd: root,
    input: patch.stdout,
  });
  if (applied.code !== 0) {
    return { ok: false, reason: `git apply refused: ${applied.stderr.trim()}`, files };
  }
  return { ok: true, files };
}
