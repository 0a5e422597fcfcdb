// The action of `parex report`, loaded only when the command runs.
import { writeFileSync } from 'node:fs';

import type { Command } from 'commander';

import { readSpendFile } from '../../budget/spend-file.js';
import { tailLines } from '../../journal/log-tail.js';
import { analyseRun } from '../../report/analysis.js';
import { displayPath } from '../../report/format.js';
import { renderHtml } from '../../report/html.js';
import { liveSpendLine } from '../../report/live-spend.js';
import { formatMarkdown, type ReportContext } from '../../report/markdown.js';
import { EXIT_OK } from '../exit-codes.js';
import { loadCommandRun } from '../load-jobs.js';
import { environmentRedactor } from '../redact.js';
import { textOption } from '../sources.js';

/** Lines of a failed job's log shown in the report. */
const TAIL_LINES = 15;

/** Runs `parex report`. */
export async function reportAction(
  run: string | undefined,
  _options: unknown,
  command: Command,
): Promise<void> {
  const { source, jobs } = loadCommandRun(run, command);
  const report = analyseRun(jobs);
  const redact = environmentRedactor();
  const runs = [...new Set(jobs.map((job) => job.runId))];
  const live = readSpendFile(source.logDir);
  const context: ReportContext = {
    budget: live !== null && runs.includes(live.runId) ? liveSpendLine(live) : null,
    title: `parex report: ${runs.length === 1 ? `run ${runs[0]}` : `${runs.length} runs`}${jobs[0]?.group ? ` (${jobs[0].group})` : ''}`,
    logDir: displayPath(source.logDir),
    tails: Object.fromEntries(
      report.failures.map((job) => [
        job.name,
        job.logPath === null ? [] : redact(tailLines(job.logPath, TAIL_LINES)),
      ]),
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
