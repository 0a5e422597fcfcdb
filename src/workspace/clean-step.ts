// `parex clean`'s step for isolated runs: before a run's log directory goes, the worktrees,
// branches (parex/RUN/...) and refs (refs/parex/RUN/...) of every run recorded in it go too.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { gitSync } from './git.js';
import { removeRunWorkspaces } from './runs.js';

/** Removes (or with `dryRun` counts) the git workspaces of the runs in `run.dir`; a line, or null. */
export function cleanWorkspaces(run: { readonly dir: string }, dryRun: boolean): string | null {
  const runIds = runIdsIn(run.dir);
  const root = gitSync(['rev-parse', '--show-toplevel'], run.dir);
  if (runIds.length === 0 || root === null) return null;
  let worktrees = 0;
  let refs = 0;
  for (const runId of runIds) {
    const removed = removeRunWorkspaces(root, runId, dryRun);
    worktrees += removed.worktrees;
    refs += removed.refs;
  }
  if (worktrees === 0 && refs === 0) return null;
  return `${dryRun ? 'would remove' : 'removed'} ${worktrees} worktree${worktrees === 1 ? '' : 's'} and ${refs} git ref${refs === 1 ? '' : 's'} (refs/parex/, parex/ branches)`;
}

/** The run ids on the lines of the manifest in `dir`, and the directory's own name. */
function runIdsIn(dir: string): string[] {
  const ids = new Set<string>([path.basename(dir)]);
  const manifest = path.join(dir, 'manifest.jsonl');
  if (existsSync(manifest)) {
    for (const match of readFileSync(manifest, 'utf8').matchAll(/"run_id":"([^"]+)"/g)) {
      if (match[1] !== undefined) ids.add(match[1]);
    }
  }
  // Only names git could hold as refs/parex/NAME/ (run ids are such names).
  return [...ids].filter((id) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id) && !id.endsWith('.lock'));
}
