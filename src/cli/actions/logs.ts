// The action of `parex logs`, loaded only when the command runs.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Command } from 'commander';

import { type LineTranslator, readableLog } from '../../agents/readable.js';
import { UsageError } from '../../errors.js';
import type { JobView } from '../../report/run-view.js';
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
  const job = findJob(source, name);
  const logPath = job.logPath as string;
  // Agents' logs hold their JSON event streams: printed in words unless --raw asks for them.
  const translate = command.getOptionValue('raw') === true ? null : readableLog(job.agent);
  const out = translate === null ? rawOutput() : readableOutput(translate);
  let offset = printFrom(logPath, 0, out);
  if (command.getOptionValue('follow') === true) {
    while (isRunning(source, name)) {
      await sleep(FOLLOW_INTERVAL_MS);
      offset = printFrom(logPath, offset, out);
    }
    printFrom(logPath, offset, out);
  }
  out.end();
  process.exitCode = EXIT_OK;
}

/** Where the bytes of the log go. */
interface Output {
  write(chunk: Buffer): void;
  /** The log has been read to its end for good. */
  end(): void;
  /** A new attempt truncated the log: start reading it afresh. */
  restart(): void;
}

function rawOutput(): Output {
  return { write: (chunk) => process.stdout.write(chunk), end: () => {}, restart: () => {} };
}

/** Splits the log into lines and prints each one's words; holds only an unfinished last line. */
function readableOutput(translate: LineTranslator): Output {
  let partial = '';
  let decoder = new TextDecoder('utf-8');
  const print = (line: string) => {
    const text = translate(line);
    if (text !== null) process.stdout.write(`${text}\n`);
  };
  return {
    write: (chunk) => {
      const lines = (partial + decoder.decode(chunk, { stream: true })).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) print(line);
    },
    end: () => {
      if (partial !== '') print(partial);
      partial = '';
    },
    restart: () => {
      partial = '';
      decoder = new TextDecoder('utf-8');
    },
  };
}

function findJob(source: RunSource, name: string): JobView {
  const jobs = loadJobs(source);
  const job = jobs.find((candidate) => candidate.name === name);
  if (job?.logPath) return job;
  throw new UsageError(
    `no job ${JSON.stringify(name)} in ${source.manifestPath}`,
    'logs are found through the manifest of the run',
    `name one of: ${jobs.map((candidate) => candidate.name).join(', ') || '(no job started yet)'}`,
  );
}

function isRunning(source: RunSource, name: string): boolean {
  return loadJobs(source).some((job) => job.name === name && job.state === 'running');
}

/** Copies the log from `offset` to `out` and returns the new offset. */
function printFrom(logPath: string, offset: number, out: Output): number {
  let size: number;
  try {
    size = statSync(logPath).size;
  } catch {
    return offset;
  }
  const truncated = size < offset; // a new attempt started
  if (truncated) out.restart();
  const start = truncated ? 0 : offset;
  if (size === start) return start;
  const fd = openSync(logPath, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    let position = start;
    while (position < size) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, size - position), position);
      if (read === 0) break;
      out.write(buffer.subarray(0, read));
      position += read;
    }
    return position;
  } finally {
    closeSync(fd);
  }
}
