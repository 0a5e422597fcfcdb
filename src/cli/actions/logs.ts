// The action of `parex logs`, loaded only when the command runs. The job is looked up in the
// run named (or the latest), then in earlier runs of the history; -f waits for a job that has
// not started yet while its run goes on; a skipped job has no log, and says why.
import { statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Command } from 'commander';

import { type LineTranslator, readableLog } from '../../agents/readable.js';
import { isLogDirLocked } from '../../engine/lock.js';
import { UsageError } from '../../errors.js';
import { readHistory } from '../../journal/history.js';
import { tailLines } from '../../journal/log-tail.js';
import { DEFAULTS } from '../../options/defaults.js';
import type { JobView } from '../../report/run-view.js';
import { EXIT_OK } from '../exit-codes.js';
import { loadJobs } from '../load-jobs.js';
import { type RunSource, resolveRun } from '../run-source.js';
import { textOption } from '../sources.js';
import { logOutput, printFrom } from './log-output.js';

/** How often a followed log (or a job not started yet) is checked. */
const FOLLOW_INTERVAL_MS = 200;

/** Runs `parex logs`. */
export async function logsAction(
  name: string,
  run: string | undefined,
  _options: unknown,
  command: Command,
): Promise<void> {
  const follow = command.getOptionValue('follow') === true;
  const lines = parseLines(textOption(command, 'lines'));
  const explicit = run !== undefined || textOption(command, 'logDir') !== undefined;
  let source = resolveRun(run, textOption(command, 'logDir'));
  let job = findJob(source, name);
  if (job === undefined && !explicit) {
    const earlier = findInHistory(name, source.logDir);
    if (earlier !== null) ({ source, job } = earlier);
  }
  if (job === undefined && follow && isLogDirLocked(source.logDir)) {
    note(`[parex] ${name} has not started yet (queued or waiting for its needs); waiting for it`);
    job = await waitForStart(source, name);
  }
  if (job === undefined) throw noJob(source, name);
  note(`[parex] ${name} of run ${job.runId} (${job.state}), log ${job.logPath ?? '-'}`);
  if (job.state === 'skipped') {
    note(
      `[parex] ${name} was skipped, so it has no log: ${job.reason ?? 'a job it needs did not succeed'}`,
    );
    process.exitCode = EXIT_OK;
    return;
  }
  const logPath = job.logPath ?? '';
  // Agents' logs hold their JSON event streams: printed in words unless --raw asks for them.
  const translate = command.getOptionValue('raw') === true ? null : readableLog(job.agent);
  const out = logOutput(translate);
  let offset = lines === null ? printFrom(logPath, 0, out) : printTail(logPath, lines, translate);
  if (follow) {
    while (isRunning(source, name)) {
      await sleep(FOLLOW_INTERVAL_MS);
      offset = printFrom(logPath, offset, out);
    }
    printFrom(logPath, offset, out);
  }
  out.end();
  process.exitCode = EXIT_OK;
}

function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

function findJob(source: RunSource, name: string): JobView | undefined {
  return loadJobs(source).find((candidate) => candidate.name === name);
}

/** The newest earlier run (from the history) that has job `name`, other than `skip`. */
function findInHistory(name: string, skip: string): { source: RunSource; job: JobView } | null {
  const seen = new Set([path.resolve(skip)]);
  for (const entry of readHistory(path.resolve(DEFAULTS.runsDir)).reverse()) {
    if (seen.has(path.resolve(entry.log_dir))) continue;
    seen.add(path.resolve(entry.log_dir));
    try {
      const source = resolveRun(undefined, entry.log_dir);
      const job = findJob(source, name);
      if (job !== undefined) return { source, job };
    } catch {
      // A run whose directory is gone.
    }
  }
  return null;
}

async function waitForStart(source: RunSource, name: string): Promise<JobView | undefined> {
  for (;;) {
    const job = findJob(source, name);
    if (job !== undefined || !isLogDirLocked(source.logDir)) return job;
    await sleep(FOLLOW_INTERVAL_MS);
  }
}

function noJob(source: RunSource, name: string): UsageError {
  const jobs = loadJobs(source);
  return new UsageError(
    `no job ${JSON.stringify(name)} in ${source.manifestPath}`,
    'logs are found through the manifest of the run (and of earlier runs in the history)',
    `name one of: ${jobs.map((candidate) => candidate.name).join(', ') || '(no job started yet)'}`,
  );
}

function isRunning(source: RunSource, name: string): boolean {
  return loadJobs(source).some((job) => job.name === name && job.state === 'running');
}

function parseLines(text: string | undefined): number | null {
  if (text === undefined) return null;
  if (/^\s*\d+\s*$/.test(text)) return Number(text);
  throw new UsageError(
    `--lines must be a whole number, 0 or more; got ${JSON.stringify(text)}`,
    'it is how many of the last lines of the log to print',
    'e.g. --lines 50',
  );
}

/** Prints the last `count` lines of the log (in words with `translate`); returns the offset to follow from. */
function printTail(logPath: string, count: number, translate: LineTranslator | null): number {
  const size = statSync(logPath, { throwIfNoEntry: false })?.size ?? 0;
  if (count === 0) return size;
  for (const line of tailLines(logPath, count)) {
    const text = translate === null ? line : translate(line);
    if (text !== null) process.stdout.write(`${text}\n`);
  }
  return size;
}
