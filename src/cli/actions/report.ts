// The action of `parex report`, loaded only when the command runs. A log directory that several
// runs appended to is reported run by run: the latest unless --run names one, all side by side
// with --all.
import { writeFileSync } from 'node:fs';

import type { Command } from 'commander';

import { UsageError } from '../../errors.js';
import { tailLines } from '../../journal/log-tail.js';
import { formatRunList, formatSideBySide } from '../../report/compare.js';
import { displayPath } from '../../report/format.js';
import { renderHtml } from '../../report/html.js';
import { reportJson } from '../../report/json.js';
import { formatMarkdown, type ReportContext } from '../../report/markdown.js';
import { EXIT_OK } from '../exit-codes.js';
import { type AnalysedRun, loadRuns } from '../load-jobs.js';
import { environmentRedactor } from '../redact.js';
import { resolveRun } from '../run-source.js';
import { textOption } from '../sources.js';

/** Lines of a failed job's log shown in the report. */
const TAIL_LINES = 15;

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
    if (md !== undefined) writeFileSync(md, markdown);
    process.exitCode = EXIT_OK;
    return;
  }
  const chosen = chooseRun(runs, textOption(command, 'run') ?? source.runId, source.manifestPath);
  const { report } = chosen;
  const redact = environmentRedactor();
  const group = chosen.jobs[0]?.group;
  const context: ReportContext = {
    title: `parex report: run ${chosen.runId}${group ? ` (${group})` : ''}`,
    logDir,
    tails: Object.fromEntries(
      report.failures.map((job) => [
        job.name,
        job.logPath === null || job.state === 'skipped'
          ? []
          : redact(tailLines(job.logPath, TAIL_LINES)),
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
    if (md !== undefined) writeFileSync(md, markdown);
  }
  const html = textOption(command, 'html');
  if (html !== undefined) writeFileSync(html, renderHtml(report, context));
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
