// `parex clean` for isolated runs whose logs live outside .parex/runs (workflow runs, whose log
// directories parex clean never removes): their worktrees, parex/ branches and refs/parex/ refs
// would otherwise stay forever. The history names those runs; the same rules choose among them.
import path from 'node:path';

import type { RunDir } from '../clean/select.js';
import { isLogDirLocked } from '../engine/lock.js';
import type { HistoryEntry } from '../journal/history.js';
import { gitSync } from './git.js';
import { removeRunWorkspaces } from './runs.js';

/** One run, recorded in the history, whose logs are outside the runs directory and whose git
 * workspaces still exist. */
export interface ElsewhereRun extends RunDir {
  /** The repository that holds its refs. */
  readonly root: string;
}

/** The runs of the history with logs outside `runsDir` and workspaces left, newest first. */
export function runsWithWorkspacesElsewhere(
  history: readonly HistoryEntry[],
  runsDir: string,
): ElsewhereRun[] {
  const inside = (dir: string) => !path.relative(runsDir, path.resolve(dir)).startsWith('..');
  const roots = new Map<string, string | null>();
  const found: ElsewhereRun[] = [];
  for (const entry of history) {
    if (inside(entry.log_dir)) continue;
    const start = path.dirname(path.resolve(entry.log_dir));
    if (!roots.has(start)) roots.set(start, gitSync(['rev-parse', '--show-toplevel'], start));
    const root = roots.get(start);
    if (root === null || root === undefined) continue;
    const left = removeRunWorkspaces(root, entry.run_id, true);
    if (left.worktrees + left.refs === 0) continue;
    found.push({
      id: entry.run_id,
      dir: entry.log_dir,
      root,
      lastWriteMs: Date.parse(entry.started_at) || 0,
      busy: isLogDirLocked(entry.log_dir) ? 'locked' : null,
    });
  }
  return found.sort((a, b) => b.lastWriteMs - a.lastWriteMs);
}

/** Removes (or with `dryRun` counts) one such run's workspaces; a line for the user. */
export function cleanElsewhere(run: ElsewhereRun, dryRun: boolean): string {
  const removed = removeRunWorkspaces(run.root, run.id, dryRun);
  return `${dryRun ? 'would remove' : 'removed'} the workspaces of run ${run.id} (${removed.worktrees} worktree${removed.worktrees === 1 ? '' : 's'}, ${removed.refs} git ref${removed.refs === 1 ? '' : 's'}); its logs in ${run.dir} stay`;
}
