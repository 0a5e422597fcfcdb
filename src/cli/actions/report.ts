// The action of `parex report`, loaded only when the command runs. A log directory that several
// runs appended to is reported run by run: the latest unless --run names one, all side by side
// with --all.
import { writeFileSync } from 'node:fs';

import type { Command } from 'commander';

import { readSpendFile } from '../../budget/spend-file.js';
import { UsageError } from '../../errors.js';
import { formatRunList, formatSideBySide } from '../../report/compare.js';
import { displayPath } from '../../report/format.js';
import { renderHtml } from '../../report/html.js';
import { reportJson } from '../../report/json.js';
import { liveSpendLine } from '../../report/live-spend.js';
import { formatMarkdown, type ReportContext } from '../../report/markdown.js';
import { EXIT_OK } from '../exit-codes.js';
import { type AnalysedRun, loadRuns } from '../load-jobs.js';
import { resolveRun } from '../run-source.js';
import { textOption } from '../sources.js';

/** Shown for a failure whose completion line has no stored tail (written by an older parex). */
const NO_STORED_TAIL = '(no log tail stored with this run; see the log)';

/** Runs `parex report`. */
export async function reportAction(
  run: string | undefined,
  _options: unknown,
  command: Command,
): Promise<void> {
  const source = resolveRun(run, textOption(command, 'logDir'));
  const runs = loadRuns(source);
  const logDir = displayPath(source.logDir);
  const md = textOption(command, 'md');
  if (command.getOptionValue('all') === true) {
    const markdown = formatSideBySide(runs, `parex report: ${runs.length} runs in ${logDir}`);
    process.stdout.write(markdown);
    if (md !== undefined) writeReport(md, '--md', markdown);
    process.exitCode = EXIT_OK;
    return;
  }
  const chosen = chooseRun(runs, textOption(command, 'run') ?? source.runId, source.manifestPath);
  const { report } = chosen;
  const live = readSpendFile(source.logDir);
  const group = chosen.jobs[0]?.group;
  const context: ReportContext = {
    budget: live !== null && live.runId === chosen.runId ? liveSpendLine(live) : null,
    title: `parex report: run ${chosen.runId}${group ? ` (${group})` : ''}`,
    logDir,
    // The tails stored, redacted, when each job ended: never the raw log, which the secrets of
    // the run (unknown here) might be in.
    tails: Object.fromEntries(
      report.failures.map((job) => [
        job.name,
        job.state === 'skipped' ? [] : (job.logTail ?? [NO_STORED_TAIL]),
      ]),
    ),
  };
  const ids = runs.map((entry) => entry.runId);
  if (command.getOptionValue('json') === true) {
    const json = reportJson(chosen.runId, report, ids, context.tails);
    process.stdout.write(`${JSON.stringify(json)}\n`);
  } else {
    const list = runs.length > 1 ? formatRunList(runs, chosen.runId).join('\n') : '';
    const markdown = formatMarkdown(report, context, list);
    process.stdout.write(markdown);
    if (md !== undefined) writeReport(md, '--md', markdown);
  }
  const html = textOption(command, 'html');
  if (html !== undefined) writeReport(html, '--html', renderHtml(report, context));
  process.exitCode = EXIT_OK;
}

function chooseRun(
  runs: readonly AnalysedRun[],
  runId: string | null,
  manifest: string,
): AnalysedRun {
  const chosen = runId === null ? runs.at(-1) : runs.find((entry) => entry.runId === runId);
  if (chosen !== undefined) return chosen;
  throw new UsageError(
    runId === null ? `no run in ${manifest}` : `no run ${JSON.stringify(runId)} in ${manifest}`,
    'the report reads the lines one run wrote to the manifest',
    `name one of: ${runs.map((entry) => entry.runId).join(', ') || '(none yet)'}`,
  );
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
