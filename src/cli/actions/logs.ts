// The action of `parex logs`, loaded only when the command runs.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Command } from 'commander';

import { UsageError } from '../../errors.js';
import { EXIT_OK } from '../exit-codes.js';
import { loadJobs } from '../load-jobs.js';
import { type RunSource, resolveRun } from '../run-source.js';
import { textOption } from '../sources.js';

/** How often a followed log is checked for new output. */
const FOLLOW_INTERVAL_MS = 200;

/** Runs `parex logs`. */
export async function logsAction(
  name: string,
  run: string | undefined,
  _options: unknown,
  command: Command,
): Promise<void> {
  const source = resolveRun(run, textOption(command, 'logDir'));
  const logPath = findLog(source, name);
  let offset = printFrom(logPath, 0);
  if (command.getOptionValue('follow') === true) {
    while (isRunning(source, name)) {
      await sleep(FOLLOW_INTERVAL_MS);
      offset = printFrom(logPath, offset);
    }
    printFrom(logPath, offset);
  }
  process.exitCode = EXIT_OK;
}

function findLog(source: RunSource, name: string): string {
  const jobs = loadJobs(source);
  const job = jobs.find((candidate) => candidate.name === name);
  if (job?.logPath) return job.logPath;
  throw new UsageError(
    `no job ${JSON.stringify(name)} in ${source.manifestPath}`,
    'logs are found through the manifest of the run',
    `name one of: ${jobs.map((candidate) => candidate.name).join(', ') || '(no job started yet)'}`,
  );
}

function isRunning(source: RunSource, name: string): boolean {
  return loadJobs(source).some((job) => job.name === name && job.state === 'running');
}

/** Copies the log from `offset` to stdout and returns the new offset. */
function printFrom(logPath: string, offset: number): number {
  let size: number;
  try {
    size = statSync(logPath).size;
  } catch {
    return offset;
  }
  const start = size < offset ? 0 : offset; // truncated: a new attempt started
  if (size === start) return start;
  const fd = openSync(logPath, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    let position = start;
    while (position < size) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, size - position), position);
      if (read === 0) break;
      process.stdout.write(buffer.subarray(0, read));
      position += read;
    }
    return position;
  } finally {
    closeSync(fd);
  }
}
