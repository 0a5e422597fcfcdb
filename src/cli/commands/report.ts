// parex report: where the time went in a run, as text on stdout, and as Markdown or HTML files.
import { writeFileSync } from 'node:fs';

import type { Command } from 'commander';

import { tailLines } from '../../journal/log-tail.js';
import { analyseRun } from '../../report/analysis.js';
import { displayPath } from '../../report/format.js';
import { renderHtml } from '../../report/html.js';
import { formatMarkdown, type ReportContext } from '../../report/markdown.js';
import { EXIT_OK } from '../exit-codes.js';
import { loadJobs } from '../load-jobs.js';
import { environmentRedactor } from '../redact.js';
import { resolveRun } from '../run-source.js';
import { textOption } from '../sources.js';

/** Lines of a failed job's log shown in the report. */
const TAIL_LINES = 15;

/** Adds the report command to the program. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .summary('where the time went: speedup, efficiency, critical path, failures; Markdown or HTML')
    .description(
      'Analyse a run from its manifest: for each wave of phases (or group of jobs) the wall time, the sum of job times, the speedup and the parallel efficiency; the critical path (the chain of jobs that set the wall time); the slowest job; failures with the last lines of their logs; token and cost totals. Prints Markdown to stdout; --md and --html write files. The HTML is one self-contained file with a timeline of every job.',
    )
    .argument('[run]', 'a run id or a log directory (default: the latest run started here)')
    .option('--log-dir <dir>', 'the log directory of the run')
    .option('--run <id>', 'only this run id, when several runs share the log directory')
    .option('--html <file>', 'also write the report as one self-contained HTML file')
    .option('--md <file>', 'also write the Markdown to a file')
    .addHelpText(
      'after',
      '\nExamples:\n  parex report --html report.html\n  parex report --log-dir prps/user_auth/codex/logs --md report.md\n\nExit status: 0 written; 2 no such run.',
    )
    .action((run: string | undefined, _options: unknown, command: Command) => {
      const source = resolveRun(run, textOption(command, 'logDir'));
      const jobs = loadJobs(source, textOption(command, 'run') ?? source.runId);
      const report = analyseRun(jobs);
      const redact = environmentRedactor();
      const runs = [...new Set(jobs.map((job) => job.runId))];
      const context: ReportContext = {
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
    });
}
