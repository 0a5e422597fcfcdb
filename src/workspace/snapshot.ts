// The base snapshot: HEAD plus every uncommitted change of the user's tree (tracked and
// untracked-but-not-ignored) as a commit, built in a temporary index so that the user's index,
// working tree, stash and branches are never touched.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { addAllExcept, gitOk } from './git.js';

/** What to snapshot and how to name it. */
export interface SnapshotRequest {
  /** The top of the user's working tree. */
  readonly root: string;
  /** Paths (relative to root) left out: parex's own directories. */
  readonly exclude: readonly string[];
  /** The commit message. */
  readonly message: string;
  /** The parent commit; null for a repository without commits. */
  readonly parent: string | null;
}

/** Writes the snapshot commit and returns its id; the caller names it with a ref. */
export async function snapshotTree(request: SnapshotRequest): Promise<string> {
  const { root } = request;
  const scratch = mkdtempSync(path.join(tmpdir(), 'parex-index-'));
  const index = path.join(scratch, 'index');
  try {
    // A copy of the real index keeps its stat data, so only changed files are hashed again.
    const real = await gitOk(['rev-parse', '--path-format=absolute', '--git-path', 'index'], {
      cwd: root,
    });
    try {
      copyFileSync(real, index);
    } catch {
      // No index yet (a new repository): git add fills an empty one.
    }
    const env = { GIT_INDEX_FILE: index };
    await addAllExcept(root, request.exclude, env);
    const tree = await gitOk(['write-tree'], { cwd: root, env });
    const parents = request.parent === null ? [] : ['-p', request.parent];
    return await gitOk(['commit-tree', tree, ...parents, '-m', request.message], { cwd: root });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
