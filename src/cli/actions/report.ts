// The action of `parex report`, loaded only when the command runs.
import { writeFileSync } from 'node:fs';

import type { Command } from 'commander';

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
  if (md !== undefined) writeFileSync(md, markdown);
  const html = textOption(command, 'html');
  if (html !== undefined) writeFileSync(html, renderHtml(report, context));
  process.exitCode = EXIT_OK;
}
