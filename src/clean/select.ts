// Which runs `parex clean` removes: finished runs under .parex/runs older than --older-than days
// or beyond the newest --keep, never one that is running or whose log directory is locked.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

import { isLogDirLocked } from '../engine/lock.js';
import { readManifest } from '../journal/reader.js';
import { DEFAULTS } from '../options/defaults.js';
import { isProcessAlive } from '../process/proc-table.js';
import { viewJobs } from '../report/run-view.js';

/** One run directory under the runs directory. */
export interface RunDir {
  readonly id: string;
  readonly dir: string;
  /** The last write to the run: its manifest's, else the directory's. */
  readonly lastWriteMs: number;
  /** Why it must be kept whatever the rules say, or null. */
  readonly busy: 'running' | 'locked' | null;
}

/** What to clean. */
export interface CleanRules {
  /** Keep the newest N runs; null: no such rule. */
  readonly keep: number | null;
  /** Remove runs last written more than this many days ago; null: no such rule. */
  readonly olderThanDays: number | null;
  readonly now: number;
}

/** Every run directory under `runsDir`, newest first (run ids sort by time). */
export function listRunDirs(runsDir: string): RunDir[] {
  let names: string[];
  try {
    names = readdirSync(runsDir);
  } catch {
    return [];
  }
  return names
    .map((name) => path.join(runsDir, name))
    .filter((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory() === true)
    .sort()
    .reverse()
    .map((dir) => {
      const manifest = path.join(dir, DEFAULTS.manifestName);
      const stat = statSync(existsSync(manifest) ? manifest : dir);
      return {
        id: path.basename(dir),
        dir,
        lastWriteMs: stat.mtimeMs,
        busy: busyness(dir, manifest),
      };
    });
}

/** The runs the rules remove, and those they keep (busy runs are always kept). */
export function chooseRuns<T extends RunDir>(
  runs: readonly T[],
  rules: CleanRules,
): { remove: T[]; keep: T[] } {
  const remove: T[] = [];
  const keep: T[] = [];
  const limitMs = rules.olderThanDays === null ? null : rules.olderThanDays * 86_400_000;
  runs.forEach((run, index) => {
    const beyond = rules.keep !== null && index >= rules.keep;
    const old = limitMs !== null && rules.now - run.lastWriteMs > limitMs;
    (run.busy === null && (beyond || old) ? remove : keep).push(run);
  });
  return { remove, keep };
}

function busyness(dir: string, manifest: string): RunDir['busy'] {
  if (isLogDirLocked(dir)) return 'locked';
  if (!existsSync(manifest)) return null;
  const jobs = viewJobs(readManifest(manifest).entries, isProcessAlive);
  return jobs.some((job) => job.state === 'running') ? 'running' : null;
}
