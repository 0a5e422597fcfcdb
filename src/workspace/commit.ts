// The job's work as a commit: everything it changed in its worktree (tracked, untracked, deleted;
// ignored files and what parex copied or linked in are left out), and what the commit changed.
import { writeFileSync } from 'node:fs';

import { addAllExcept, git, gitOk } from './git.js';

/** Commits everything changed in `worktree` on its branch; returns HEAD when nothing changed. */
export async function commitWork(
  worktree: string,
  message: string,
  exclude: readonly string[],
): Promise<string> {
  await addAllExcept(worktree, exclude);
  const tree = await gitOk(['write-tree'], { cwd: worktree });
  const head = await gitOk(['rev-parse', 'HEAD'], { cwd: worktree });
  const headTree = await gitOk(['rev-parse', 'HEAD^{tree}'], { cwd: worktree });
  if (tree === headTree) return head;
  const commit = await gitOk(['commit-tree', tree, '-p', head, '-m', message], { cwd: worktree });
  await gitOk(['update-ref', '-m', 'parex: job commit', 'HEAD', commit, head], { cwd: worktree });
  return commit;
}

/** What a commit changed against another: paths, lines added and removed. */
export interface ChangeStats {
  readonly changed_files: readonly string[];
  readonly insertions: number;
  readonly deletions: number;
}

/** The changes from `from` to `to`. */
export async function changeStats(root: string, from: string, to: string): Promise<ChangeStats> {
  if (from === to) return { changed_files: [], insertions: 0, deletions: 0 };
  const out = await gitOk(['diff', '--numstat', '-z', '--no-renames', from, to], { cwd: root });
  const files: string[] = [];
  let insertions = 0;
  let deletions = 0;
  for (const record of out.split('\0')) {
    const match = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(record);
    if (match === null) continue;
    insertions += match[1] === '-' ? 0 : Number(match[1]);
    deletions += match[2] === '-' ? 0 : Number(match[2]);
    files.push(match[3] ?? '');
  }
  return { changed_files: files, insertions, deletions };
}

/** Writes the patch from `from` to `to` (binary-safe, applies with git apply) to `file`. */
export async function writePatch(
  root: string,
  from: string,
  to: string,
  file: string,
): Promise<void> {
  const result = await git(['diff', '--binary', '--no-color', from, to], { cwd: root });
  if (result.code !== 0) throw new Error(`git diff failed: ${result.stderr.trim()}`);
  writeFileSync(file, result.stdout);
}
