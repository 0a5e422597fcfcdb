// A worker's copy of each repository it runs isolated jobs of: one bare clone per repository
// under WORKDIR/.parex/repos/, first cloned from the repository's remote URL (or made empty when
// there is none or it cannot be reached, to be filled by a full bundle), kept across runs, so
// that each job's start travels as a bundle of only what the copy lacks.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

import { git, gitOk } from '../workspace/git.js';
import { serially } from '../workspace/serial.js';

/** Refs under refs/parex/ a copy keeps (the newest; older runs' refs go, their objects stay). */
const KEPT_REFS = 256;
/** Commits a worker names as what it has (the newest refs). */
const HAVE_COUNT = 64;

/** Copies already fetched from their URL during a run: `dir run`. */
const refreshed = new Set<string>();

/** The worker's copy of repository `repo` (made on first use); `print` tells how it was made. */
export function openRepoCache(
  workdir: string,
  repo: { readonly id: string; readonly url: string | null },
  print: (line: string) => void,
): Promise<string> {
  const dir = path.join(workdir, '.parex', 'repos', `${repo.id}.git`);
  return serially(dir, async () => {
    if (existsSync(path.join(dir, 'HEAD'))) return dir;
    mkdirSync(path.dirname(dir), { recursive: true });
    const made = `${dir}.new-${process.pid}`;
    rmSync(made, { recursive: true, force: true });
    let how = 'empty, filled by a full bundle: the repository has no remote URL';
    if (repo.url !== null) {
      const cloned = await git(['clone', '--bare', '--quiet', repo.url, made], { cwd: workdir });
      // A URL's user and password (a token) are not printed.
      const shown = repo.url.replace(/\/\/[^/@]*@/, '//***@');
      if (cloned.code === 0) how = `cloned from ${shown}`;
      else {
        rmSync(made, { recursive: true, force: true });
        const why = cloned.stderr.trim().split('\n').at(-1)?.replaceAll(repo.url, shown);
        how = `empty, filled by a full bundle: cloning ${shown} failed (${why})`;
      }
    }
    if (!existsSync(made)) await gitOk(['init', '--bare', '--quiet', made], { cwd: workdir });
    renameSync(made, dir);
    print(`[parex] repository ${repo.id}: ${how}, in ${dir}`);
    return dir;
  });
}

/** Fetches the branches of the copy's URL, once per run (new commits pushed since it was made). */
export async function refreshFromUrl(dir: string, url: string | null, run: string): Promise<void> {
  if (url === null || refreshed.has(`${dir} ${run}`)) return;
  refreshed.add(`${dir} ${run}`);
  await serially(dir, () =>
    git(['fetch', '--quiet', '--no-tags', url, '+refs/heads/*:refs/heads/*'], { cwd: dir }),
  );
}

/** The commits the copy names as what it has: the tips of its newest refs. */
export async function haves(dir: string): Promise<string[]> {
  const out = await git(
    [
      'for-each-ref',
      '--sort=-committerdate',
      `--count=${HAVE_COUNT}`,
      '--format=%(objectname)',
      'refs/',
    ],
    { cwd: dir },
  );
  return [...new Set(out.stdout.split('\n').filter((line) => line !== ''))];
}

/** Drops the oldest refs under refs/parex/ beyond KEPT_REFS (their objects stay until gc). */
export async function pruneRefs(dir: string): Promise<void> {
  const out = await git(
    ['for-each-ref', '--sort=-committerdate', '--format=%(refname)', 'refs/parex/'],
    { cwd: dir },
  );
  const old = out.stdout
    .split('\n')
    .filter((line) => line !== '')
    .slice(KEPT_REFS);
  if (old.length === 0) return;
  await git(['update-ref', '--stdin'], {
    cwd: dir,
    input: old.map((ref) => `delete ${ref}\n`).join(''),
  });
}
