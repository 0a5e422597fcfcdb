// Merging commits without a worktree: `git merge-tree --write-tree` (git 2.38+) over their merge
// base, then a merge commit from the tree. Neither touches an index or a working tree.
import { git, gitOk } from './git.js';

/** The outcome of merging two commits' trees. */
export type TreeMerge =
  | { readonly clean: true; readonly tree: string }
  | { readonly clean: false; readonly tree: string; readonly files: readonly string[] };

/** Merges the trees of commits `a` and `b` (as git merge would, renames included). */
export async function mergeTrees(root: string, a: string, b: string): Promise<TreeMerge> {
  const result = await git(
    ['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', a, b],
    {
      cwd: root,
    },
  );
  if (result.code !== 0 && result.code !== 1) {
    throw new Error(
      `git merge-tree ${a} ${b} failed (exit ${result.code}): ${result.stderr.trim()}`,
    );
  }
  const [tree = '', ...paths] = result.stdout.split('\0');
  if (result.code === 0) return { clean: true, tree: tree.trim() };
  return {
    clean: false,
    tree: tree.trim(),
    files: [...new Set(paths.filter((entry) => entry !== ''))],
  };
}

/** The number of conflict hunks (<<<<<<< markers) in `file` of a merged tree with conflicts. */
export async function conflictHunks(root: string, tree: string, file: string): Promise<number> {
  const result = await git(['cat-file', 'blob', `${tree}:${file}`], { cwd: root });
  if (result.code !== 0) return 1; // a conflict without text (modify/delete, file/directory)
  return Math.max(
    1,
    result.stdout.split('\n').filter((line) => line.startsWith('<<<<<<< ')).length,
  );
}

/** True when commit `ancestor` is `descendant` or one of its ancestors. */
export async function isAncestor(
  root: string,
  ancestor: string,
  descendant: string,
): Promise<boolean> {
  if (ancestor === descendant) return true;
  const result = await git(['merge-base', '--is-ancestor', ancestor, descendant], { cwd: root });
  return result.code === 0;
}

/** A commit of `tree` with `parents`. */
export function commitTree(
  root: string,
  tree: string,
  parents: readonly string[],
  message: string,
): Promise<string> {
  return gitOk(
    ['commit-tree', tree, ...parents.flatMap((parent) => ['-p', parent]), '-m', message],
    {
      cwd: root,
    },
  );
}

/** One commit to merge in, named for messages. */
export interface NamedCommit {
  readonly name: string;
  readonly commit: string;
}

/** The outcome of merging several commits into a start. */
export type Combined =
  | { readonly ok: true; readonly commit: string }
  | {
      readonly ok: false;
      /** The commit that could not be merged, and those merged before it. */
      readonly failed: string;
      readonly mergedBefore: readonly string[];
      readonly files: readonly string[];
    };

/**
 * `start` with `commits` merged in, in the order given: a commit already contained is skipped,
 * one that contains the current state is fast-forwarded to, anything else is merged.
 */
export async function combineCommits(
  root: string,
  start: string,
  commits: readonly NamedCommit[],
  message: (next: NamedCommit) => string,
): Promise<Combined> {
  let current = start;
  const merged: string[] = [];
  for (const next of commits) {
    if (await isAncestor(root, next.commit, current)) {
      merged.push(next.name);
      continue;
    }
    if (await isAncestor(root, current, next.commit)) {
      current = next.commit;
      merged.push(next.name);
      continue;
    }
    const merge = await mergeTrees(root, current, next.commit);
    if (!merge.clean) {
      return { ok: false, failed: next.name, mergedBefore: merged, files: merge.files };
    }
    current = await commitTree(root, merge.tree, [current, next.commit], message(next));
    merged.push(next.name);
  }
  return { ok: true, commit: current };
}
