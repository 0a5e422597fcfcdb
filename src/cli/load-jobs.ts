// Reading a run's jobs for status, logs, runs and report.
import type { Command } from 'commander';

import type { ManifestEntry } from '../journal/entries.js';
import { readManifest } from '../journal/reader.js';
import { attemptSpans, concurrencyOf, runIdsOf } from '../journal/spans.js';
import { isProcessAlive } from '../process/proc-table.js';
import { type AttemptSpan, analyseRun, type RunReport } from '../report/analysis.js';
import { type JobView, viewJobs } from '../report/run-view.js';
import { type RunSource, resolveRun } from './run-source.js';
import { textOption } from './sources.js';

/** The latest state of every job of the run (of one run id when the source names one). */
export function loadJobs(source: RunSource, runId: string | null = source.runId): JobView[] {
  const { entries } = readManifest(source.manifestPath);
  const chosen = runId === null ? entries : entries.filter((entry) => entry.run_id === runId);
  return viewJobs(chosen, isProcessAlive);
}

/** One run of a log directory, analysed. */
export interface AnalysedRun {
  readonly runId: string;
  readonly jobs: readonly JobView[];
  readonly attempts: readonly AttemptSpan[];
  readonly concurrency: number | null;
  readonly report: RunReport;
}

/** Every run of a log directory, oldest first, each analysed on its own. */
export function loadRuns(source: RunSource): AnalysedRun[] {
  const { entries } = readManifest(source.manifestPath);
  return runIdsOf(entries).map((runId) => analyse(entries, runId));
}

/** One run of a log directory, analysed (the latest when `runId` is null); null when it has none. */
export function loadRun(source: RunSource, runId: string | null): AnalysedRun | null {
  const { entries } = readManifest(source.manifestPath);
  const id = runId ?? runIdsOf(entries).at(-1);
  return id === undefined ? null : analyse(entries, id);
}

function analyse(entries: readonly ManifestEntry[], runId: string): AnalysedRun {
  const own = entries.filter((entry) => entry.run_id === runId);
  const jobs = viewJobs(own, isProcessAlive);
  const attempts = attemptSpans(own);
  const concurrency = concurrencyOf(own);
  return { runId, jobs, attempts, concurrency, report: analyseRun(jobs, attempts, concurrency) };
}

/** The run a command names (its [run] argument, --log-dir and --run), and that run's jobs. */
export function loadCommandRun(
  run: string | undefined,
  command: Command,
): { source: RunSource; jobs: JobView[] } {
  const source = resolveRun(run, textOption(command, 'logDir'));
  return { source, jobs: loadJobs(source, textOption(command, 'run') ?? source.runId) };
}
