// A worker's directory of one run's log copies (WORKDIR/.parex/worker-logs/RUN/) goes once its
// last copy was removed: only when it is empty (rmdir removes nothing else), and only while no
// job of that run runs here. The check and the rmdir are one synchronous step, and a job makes
// the directory and registers as running in one too, so a starting job never loses it.
import { rmdirSync } from 'node:fs';
import path from 'node:path';

import type { RunningJobs } from './running-jobs.js';
import type { KeptLog } from './worker-watch.js';

/** Removes the run directories of the `removed` copies that hold nothing any more. */
export function removeEmptyRunDirs(
  removed: readonly KeptLog[],
  kept: ReadonlySet<KeptLog>,
  jobs: RunningJobs,
): void {
  const busy = new Set(jobs.runs().map(([run]) => run));
  const keptDirs = new Set([...kept].map((log) => path.dirname(log.path)));
  for (const dir of new Set(removed.map((log) => path.dirname(log.path)))) {
    if (busy.has(path.basename(dir)) || keptDirs.has(dir)) continue;
    try {
      rmdirSync(dir);
    } catch {
      // Not empty (a file that is not the worker's own copy: kept), or gone already.
    }
  }
}
