// Before an isolated run: the directory must be in a git work tree, and git new enough for
// `merge-tree --write-tree` (2.38). Nothing is written here.
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import path from 'node:path';

import { UsageError } from '../errors.js';
import { gitSync } from './git.js';

/** The oldest git whose merge-tree has --write-tree. */
const MIN_GIT: readonly [number, number] = [2, 38];

/** The top of the git work tree that holds `cwd`; throws UsageError when there is none. */
export function checkRepository(cwd: string, asked: string): string {
  const version = gitSync(['version'], cwd);
  if (version === null) {
    throw new UsageError(
      `${asked} needs git, which could not be run`,
      'each isolated job runs in a git worktree of your repository',
      'install git 2.38 or later, or run without isolation',
    );
  }
  const [major = 0, minor = 0] = (/(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
  if (major < MIN_GIT[0] || (major === MIN_GIT[0] && minor < MIN_GIT[1])) {
    throw new UsageError(
      `${asked} needs git ${MIN_GIT.join('.')} or later; this is ${version}`,
      'conflicts between jobs are found with git merge-tree --write-tree (git 2.38)',
      'upgrade git, or run without isolation',
    );
  }
  const root = gitSync(['rev-parse', '--show-toplevel'], cwd);
  if (root === null || root === '') {
    throw new UsageError(
      `${asked} needs a git repository, and ${cwd} is not inside one`,
      'each isolated job runs in its own git worktree, made from a snapshot of your working tree',
      `run 'git init' (and commit what you have) in ${cwd}, or run without isolation`,
    );
  }
  return root;
}

/** Where the worktrees of a repository's runs go by default: the user's cache directory. */
export function defaultWorktreesDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  const id = createHash('sha256').update(root).digest('hex').slice(0, 8);
  return path.join(cache, 'parex', 'worktrees', `${path.basename(root)}-${id}`);
}

/** The paths under `root` that snapshots and job commits leave out: parex's own directories. */
export function ownPaths(root: string, dirs: readonly string[]): string[] {
  return dirs
    .map((dir) => path.relative(root, dir))
    .filter(
      (relative) => relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative),
    );
}
