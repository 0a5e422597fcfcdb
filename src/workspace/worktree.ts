// A job's worktree: a checkout of its start commit on its own branch, outside the user's tree.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import { git, gitOk } from './git.js';

/** The `git worktree add` still running per repository: git 2.39 can read another one's
 * half-made metadata ("failed to read .git/worktrees/X/commondir"), so they go one at a time. */
const adding = new Map<string, Promise<unknown>>();

/** Checks out `commit` at `dir` on a new branch `branch` (replacing one of that name). The
 * worktree is registered one at a time (a few milliseconds) and checked out in parallel. */
export async function addWorktree(
  root: string,
  dir: string,
  branch: string,
  commit: string,
): Promise<void> {
  mkdirSync(path.dirname(dir), { recursive: true });
  const previous = adding.get(root) ?? Promise.resolve();
  const registered = previous.then(() =>
    gitOk(['worktree', 'add', '--quiet', '--no-checkout', '-B', branch, dir, commit], {
      cwd: root,
    }),
  );
  adding.set(
    root,
    registered.catch(() => {}),
  );
  await registered;
  await gitOk(['read-tree', '-m', '-u', 'HEAD'], { cwd: dir });
}

/** Removes the worktree at `dir` and its metadata, whatever is in it; its branch stays. */
export async function removeWorktree(root: string, dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  const removed = await git(['worktree', 'remove', '--force', '--force', dir], { cwd: root });
  // Not a worktree any more (or half made): remove what is there. (No `git worktree prune`: it
  // would also drop the metadata of the user's own worktrees on an unmounted disk.)
  if (removed.code !== 0) rmSync(dir, { recursive: true, force: true });
}

/** The worktrees of the repository, by path, with the branch each has checked out (or null). */
export async function listWorktrees(root: string): Promise<Map<string, string | null>> {
  const out = await gitOk(['worktree', 'list', '--porcelain', '-z'], { cwd: root });
  const found = new Map<string, string | null>();
  let current: string | null = null;
  for (const field of out.split('\0')) {
    if (field.startsWith('worktree ')) {
      current = field.slice('worktree '.length);
      found.set(current, null);
    } else if (field.startsWith('branch ') && current !== null) {
      found.set(current, field.slice('branch '.length));
    }
  }
  return found;
}
