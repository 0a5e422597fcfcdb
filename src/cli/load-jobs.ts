// Reading a run's jobs for status, logs, runs and report.
import { readManifest } from '../journal/reader.js';
import { isProcessAlive } from '../process/proc-table.js';
import { type JobView, viewJobs } from '../report/run-view.js';
import type { RunSource } from './run-source.js';

/** The latest state of every job of the run (of one run id when the source names one). */
export function loadJobs(source: RunSource, runId: string | null = source.runId): JobView[] {
  const { entries } = readManifest(source.manifestPath);
  const chosen = runId === null ? entries : entries.filter((entry) => entry.run_id === runId);
  return viewJobs(chosen, isProcessAlive);
}
