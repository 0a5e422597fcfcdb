// The action of `parex speedup`, loaded only when the command runs.
import { existsSync } from 'node:fs';
import path from 'node:path';

import type { Command } from 'commander';

import { UsageError } from '../../errors.js';
import { isEndEntry, lastCompletions, readManifest } from '../../journal/reader.js';
import { attemptSpans, concurrencyOf, runIdsOf } from '../../journal/spans.js';
import { DEFAULTS, ENVIRONMENT } from '../../options/defaults.js';
import {
  alignColumns,
  criticalPathText,
  efficiencyText,
  formatDuration,
} from '../../report/format.js';
import { computeSpeedup } from '../../report/speedup.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { textOption } from '../sources.js';

/** Runs `parex speedup`. */
export async function speedupAction(
  names: string[],
  _options: unknown,
  command: Command,
): Promise<void> {
  process.exitCode = computeFromManifest(names, command);
}

function computeFromManifest(names: string[], command: Command): number {
  const target = parseTarget(textOption(command, 'target'));
  const manifestPath = path.join(
    requireLogDir(textOption(command, 'logDir')),
    DEFAULTS.manifestName,
  );
  if (!existsSync(manifestPath)) {
    throw new UsageError(
      `no manifest at ${manifestPath}`,
      'the speedup is computed from the manifest that parex exec or run writes',
      'pass the --log-dir of a finished run',
    );
  }
  const { entries } = readManifest(manifestPath);
  // Run by run: the latest unless --run names one (a manifest of the original tool has no ids).
  const runs = runIdsOf(entries);
  const runId = textOption(command, 'run') ?? runs.at(-1);
  const own = entries.filter((entry) => entry.run_id === runId);
  const completions = lastCompletions(own.filter(isEndEntry));
  const chosen = names.length === 0 ? completions : names.map((name) => findJob(completions, name));
  if (chosen.length === 0) {
    throw new UsageError(
      `no finished job in ${manifestPath}${runId === undefined ? '' : ` for run ${runId}`}`,
      'the speedup needs the completion lines of at least one job',
      `wait until the run has finished, or check --log-dir and --run (runs: ${runs.join(', ') || 'none'})`,
    );
  }
  const wanted = new Set(chosen.map((entry) => entry.phase));
  const spans = attemptSpans(own).filter((span) => wanted.has(span.name));
  const figures = computeSpeedup(spans, concurrencyOf(own));
  const rows: string[][] = [];
  if (runs.length > 1)
    rows.push(['run', `${runId} (${runs.length} runs here; --run ID for another)`]);
  for (const entry of chosen) {
    const own = spans.filter((span) => span.name === entry.phase);
    const total = own.reduce((sum, span) => sum + span.durationMs, 0);
    rows.push([
      entry.phase,
      `${formatDuration(total)}${own.length > 1 ? ` (${own.length} attempts)` : ''}`,
    ]);
  }
  rows.push(['sum of job times', formatDuration(figures.sumMs)]);
  rows.push(['wall time', `${formatDuration(figures.wallMs)} (first start to last end)`]);
  rows.push(['speedup', `${figures.speedup.toFixed(2)}x`]);
  rows.push(['efficiency', efficiencyText(figures)]);
  rows.push(['critical path', criticalPathText(figures)]);
  for (const line of alignColumns(rows)) process.stdout.write(`${line}\n`);
  if (target !== undefined && figures.speedup < target) {
    process.stderr.write(
      `parex: speedup ${figures.speedup.toFixed(2)}x is below the target ${target}x\n`,
    );
    return EXIT_FAILED;
  }
  return EXIT_OK;
}

function requireLogDir(logDir: string | undefined): string {
  if (logDir !== undefined) return logDir;
  throw new UsageError(
    'no log directory given',
    'parex speedup reads the manifest of one run',
    `pass --log-dir DIR (or set ${ENVIRONMENT.logDir}), e.g. --log-dir ${DEFAULTS.runsDir}/RUN_ID`,
  );
}

function findJob<T extends { phase: string }>(completions: readonly T[], name: string): T {
  const found = completions.find((entry) => entry.phase === name);
  if (found !== undefined) return found;
  throw new UsageError(
    `no completion line for job ${JSON.stringify(name)} in the manifest`,
    'a job that never finished has no duration to add up',
    `name only jobs that finished: ${completions.map((entry) => entry.phase).join(', ') || '(none)'}`,
  );
}

function parseTarget(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || text.trim() === '') {
    throw new UsageError(
      `--target must be a positive number; got ${JSON.stringify(text)}`,
      'it is the least speedup that counts as a pass',
      'give a value such as 2 or 1.5',
    );
  }
  return value;
}
