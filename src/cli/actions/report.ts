// The action of `parex report`, loaded only when the command runs.
import { writeFileSync } from 'node:fs';

import type { Command } from 'commander';

import { UsageError } from '../../errors.js';
import { analyseRun } from '../../report/analysis.js';
import { displayPath } from '../../report/format.js';
import { renderHtml } from '../../report/html.js';
import { formatMarkdown, type ReportContext } from '../../report/markdown.js';
import { EXIT_OK } from '../exit-codes.js';
import { loadCommandRun } from '../load-jobs.js';
import { textOption } from '../sources.js';

/** Shown for a failure whose completion line has no stored tail (written by an older parex). */
const NO_STORED_TAIL = '(no log tail stored with this run; see the log)';

/** Runs `parex report`. */
export async function reportAction(
  run: string | undefined,
  _options: unknown,
  command: Command,
): Promise<void> {
  const { source, jobs } = loadCommandRun(run, command);
  const report = analyseRun(jobs);
  const runs = [...new Set(jobs.map((job) => job.runId))];
  const context: ReportContext = {
    title: `parex report: ${runs.length === 1 ? `run ${runs[0]}` : `${runs.length} runs`}${jobs[0]?.group ? ` (${jobs[0].group})` : ''}`,
    logDir: displayPath(source.logDir),
    // The tails stored, redacted, when each job ended: never the raw log, which the secrets of
    // the run (unknown here) might be in.
    tails: Object.fromEntries(
      report.failures.map((job) => [job.name, job.logTail ?? [NO_STORED_TAIL]]),
    ),
  };
  const markdown = formatMarkdown(report, context);
  process.stdout.write(markdown);
  const md = textOption(command, 'md');
  if (md !== undefined) writeReport(md, '--md', markdown);
  const html = textOption(command, 'html');
  if (html !== undefined) writeReport(html, '--html', renderHtml(report, context));
  process.exitCode = EXIT_OK;
}

/** Writes a report file; a directory, a read-only place or a missing parent is a UsageError. */
function writeReport(file: string, flag: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new UsageError(
      `cannot write the report to ${file} (${code ?? message})`,
      `${flag} names the file the report is written to`,
      code === 'EISDIR'
        ? `that is a directory: give a file name, e.g. ${flag} ${file.replace(/\/$/, '')}/report.${flag.slice(2)}`
        : 'give a path in a directory that exists and that you can write',
    );
  }
}
