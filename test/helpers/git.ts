// Real git repositories for workspace tests, and a fingerprint of everything of the user's that
// a run must leave alone: index, working tree, stash, branches, tags, HEAD.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';

import { tempDir } from './tmp.js';

/** Runs git in `cwd` and returns its trimmed stdout; throws when it fails. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'u',
      GIT_AUTHOR_EMAIL: 'u@x',
      GIT_COMMITTER_NAME: 'u',
      GIT_COMMITTER_EMAIL: 'u@x',
    },
  }).trim();
}

/** Writes `files` (path → text) under `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
}

/** A repository with `files` committed on main, and its own cache directory for worktrees. */
export interface TestRepo {
  readonly dir: string;
  readonly cache: string;
  /** The environment that puts worktrees under `cache`. */
  readonly env: NodeJS.ProcessEnv;
}

/** Makes a repository with one commit of `files`. */
export function testRepo(t: TestContext, files: Record<string, string>): TestRepo {
  const root = tempDir(t, 'parex-ws-');
  const dir = path.join(root, 'repo');
  const cache = path.join(root, 'cache');
  mkdirSync(dir);
  git(dir, 'init', '-q', '-b', 'main');
  writeFiles(dir, files);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  return { dir, cache, env: { XDG_CACHE_HOME: cache } };
}

/** Numbered lines "1".."n", each line its own hunk when changed alone. */
export function lines(n: number): string {
  return `${Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n')}\n`;
}

/** A hash of the user's state: index file, working tree (without .parex), stash, refs/heads, refs/tags, HEAD. */
export function userState(dir: string): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(path.join(dir, '.git', 'index')));
  hash.update(git(dir, 'stash', 'list'));
  hash.update(git(dir, 'for-each-ref', 'refs/tags', 'refs/heads/main'));
  hash.update(
    git(dir, 'for-each-ref', '--format=%(refname)', 'refs/heads')
      .split('\n')
      .filter((ref) => !ref.startsWith('refs/heads/parex/'))
      .join('\n'),
  );
  hash.update(readFileSync(path.join(dir, '.git', 'HEAD')));
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      if (name === '.git' || name === '.parex') continue;
      const full = path.join(at, name);
      hash.update(full);
      if (statSync(full).isDirectory()) walk(full);
      else hash.update(readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

/** The refs under refs/parex/ and refs/heads/parex/, as names. */
export function parexRefs(dir: string): string[] {
  const out = git(dir, 'for-each-ref', '--format=%(refname)', 'refs/parex/', 'refs/heads/parex/');
  return out === '' ? [] : out.split('\n');
}
