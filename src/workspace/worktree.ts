// A job's worktree: a checkout of its start commit on its own branch, outside the user's tree.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { git, gitOk } from './git.js';

/** git 2.39's `worktree add` can read another add's half-made metadata and fail ("failed to
 * read .git/worktrees/X/commondir"): then it is tried again, a little later. */
const RACE = /failed to read .*worktrees|commondir|could not lock|\.lock': File exists/;
const ATTEMPTS = 6;

/** Checks out `commit` at `dir` on a new branch `branch` (replacing one of that name). */
export async function addWorktree(
  root: string,
  dir: string,
  branch: string,
  commit: string,
): Promise<void> {
  mkdirSync(path.dirname(dir), { recursive: true });
  for (let attempt = 1; ; attempt += 1) {
    const added = await git(['worktree', 'add', '--quiet', '-B', branch, dir, commit], {
      cwd: root,
    });
    if (added.code === 0) return;
    if (attempt >= ATTEMPTS || !RACE.test(added.stderr)) {
      throw new Error(
        `git worktree add ${dir} failed (exit ${added.code}): ${added.stderr.trim()}`,
      );
    }
    rmSync(dir, { recursive: true, force: true });
    await sleep(10 + Math.floor(Math.random() * 40 * attempt));
  }
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
