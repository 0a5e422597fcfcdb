// Git bundles: how an isolated job's commits travel between machines. The coordinator bundles a
// job's start leaving out what the worker's copy already has; the worker bundles the job's commit
// leaving out its start. Either side verifies a bundle before fetching it into a named ref.
import { git, gitOk } from './git.js';

/** Writes a bundle of `ref` to `file`, without the history of `exclude` (commits). */
export async function createBundle(
  repo: string,
  file: string,
  ref: string,
  exclude: readonly string[],
): Promise<void> {
  await gitOk(
    ['bundle', 'create', '--quiet', file, ref, ...exclude.map((commit) => `^${commit}`)],
    {
      cwd: repo,
    },
  );
}

/** Why the repository at `repo` cannot take the bundle (a prerequisite it lacks), or null. */
export async function verifyBundle(repo: string, file: string): Promise<string | null> {
  const verified = await git(['bundle', 'verify', file], { cwd: repo });
  return verified.code === 0 ? null : verified.stderr.trim() || `exit ${verified.code}`;
}

/** Fetches `ref` of the bundle `file` into the same ref of `repo`; resolves with its commit. */
export async function fetchBundle(repo: string, file: string, ref: string): Promise<string> {
  await gitOk(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', file, `+${ref}:${ref}`], {
    cwd: repo,
  });
  return gitOk(['rev-parse', '--verify', `${ref}^{commit}`], { cwd: repo });
}

/** Those of `commits` that `repo` has (as commits). */
export async function knownCommits(repo: string, commits: readonly string[]): Promise<string[]> {
  const wanted = commits.filter((commit) => /^[0-9a-f]{40,64}$/.test(commit));
  if (wanted.length === 0) return [];
  const checked = await git(['cat-file', '--batch-check=%(objecttype) %(objectname)'], {
    cwd: repo,
    input: `${wanted.join('\n')}\n`,
  });
  return checked.stdout.split('\n').flatMap((line) => {
    const [type, name] = line.split(' ');
    return type === 'commit' && name !== undefined ? [name] : [];
  });
}

/** True when `repo` has commit `commit`. */
export async function hasCommit(repo: string, commit: string): Promise<boolean> {
  return (await knownCommits(repo, [commit])).length === 1;
}
