// Removing a run that `parex clean` chose. The steps are a list that other parts of parex add
// to (e.g. the git worktrees and refs of an isolated run), each run in turn before the run's
// directory is removed; the history forgets the removed runs.
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

import { forgetInHistory, readHistory } from '../journal/history.js';
import type { RunDir } from './select.js';

/** One step of removing a run: returns a line for the user (what it freed), or null. */
export type CleanStep = (run: RunDir, dryRun: boolean) => string | null;

/** The steps run before a run's directory is removed; add to it with `addCleanStep`. */
const CLEAN_STEPS: CleanStep[] = [];

/** Adds a step to every removal (e.g. removing the run's worktrees and refs). */
export function addCleanStep(step: CleanStep): void {
  CLEAN_STEPS.push(step);
}

/** Runs every step for `run`, then removes its directory (unless `dryRun`); returns the steps' lines. */
export function removeRun(run: RunDir, dryRun: boolean): string[] {
  const lines = CLEAN_STEPS.flatMap((step) => step(run, dryRun) ?? []);
  if (!dryRun) rmSync(run.dir, { recursive: true, force: true });
  return lines;
}

/** The bytes of every file under `dir`. */
export function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += sizeOf(full);
    else total += statSync(full, { throwIfNoEntry: false })?.size ?? 0;
  }
  return total;
}

/** Makes the history forget the runs whose log directories were removed (appended, never rewritten). */
export function forgetRuns(runsDir: string, removed: ReadonlySet<string>): void {
  const known = new Set(readHistory(runsDir).map((entry) => path.resolve(entry.log_dir)));
  forgetInHistory(
    runsDir,
    [...removed].filter((dir) => known.has(path.resolve(dir))),
  );
}
