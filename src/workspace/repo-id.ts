// Which repository a run works in, as workers see it across runs: its remote URL (origin) and an
// id made of its root commits and that URL, so that a worker keeps one cached clone per repository.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';

import { git } from './git.js';

/** A repository's identity across runs and machines. */
export interface RepoIdentity {
  readonly id: string;
  /** origin's URL (a local path made absolute); null when there is no origin. */
  readonly url: string | null;
}

/** The identity of the repository at `root`. */
export async function repoIdentity(root: string): Promise<RepoIdentity> {
  const remote = await git(['remote', 'get-url', 'origin'], { cwd: root });
  const given = remote.code === 0 ? remote.stdout.trim() : '';
  // scp-like (host:path) and scheme URLs stay as they are; a path is made absolute.
  const isPath = given !== '' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(given) && !/^[^/]+:/.test(given);
  const url = given === '' ? null : isPath ? path.resolve(root, given) : given;
  const roots = await git(['rev-list', '--max-parents=0', 'HEAD'], { cwd: root });
  // A repository without commits has no root yet: it is known by its place.
  const origin =
    roots.code === 0 && roots.stdout.trim() !== ''
      ? roots.stdout.trim().split('\n').sort().join(' ')
      : `${hostname()}:${root}`;
  const id = createHash('sha256')
    .update(`${origin}\n${url ?? ''}`)
    .digest('hex')
    .slice(0, 16);
  return { id: `${path.basename(root).replace(/[^A-Za-z0-9._-]/g, '_')}-${id}`, url };
}
