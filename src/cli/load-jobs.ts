// Reading a run's jobs for status, logs, runs and report.
import type { Command } from 'commander';

import { readManifest } from '../journal/reader.js';
import { isProcessAlive } from '../process/proc-table.js';
import { type JobView, viewJobs } from '../report/run-view.js';
import { type RunSource, resolveRun } from './run-source.js';
import { textOption } from './sources.js';

/** The latest state of every job of the run (of one run id when the source names one). */
export function loadJobs(source: RunSource, runId: string | null = source.runId): JobView[] {
  const { entries } = readManifest(source.manifestPath);
  const chosen = runId === null ? entries : entries.filter((entry) => entry.run_id === runId);
  return viewJobs(chosen, isProcessAlive);
}

/** The run a command names (its [run] argument, --log-dir and --run), and that run's jobs. */
export function loadCommandRun(
  run: string | undefined,
  command: Command,
): { source: RunSource; jobs: JobView[] } {
  const source = resolveRun(run, textOption(command, 'logDir'));
  return { source, jobs: loadJobs(source, textOption(command, 'run') ?? source.runId) };
}
