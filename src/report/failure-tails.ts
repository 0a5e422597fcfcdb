// The `errors` output: after the summary, each job that did not succeed with its command and
// the last lines of its log, so that the error is on screen, not only in a file.
import type { GroupResult, JobResult } from '../model/result.js';
import { displayPath, shortCommand } from './format.js';
import { describeOutcome } from './outcome-words.js';
import { cut } from './text-width.js';

/** The longest command and log line shown, in columns. */
const MAX_COMMAND = 200;
const MAX_LINE = 1000;

/** A job's last log lines, made safe to print, or why there are none. */
export type Tail = readonly string[] | { readonly empty: string };

/** What the tails need: the last lines of a job's log. */
export type TailReader = (result: JobResult) => Tail;

/** The lines shown after the summary for the jobs that did not succeed (skipped ones have no
 * log); at most `maxJobs` of them, `lines` lines each. */
export function formatFailureTails(
  group: GroupResult,
  tail: TailReader,
  lines: number,
  maxJobs: number,
): string[] {
  const failed = group.results.filter(
    (result) => result.outcome !== 'success' && result.outcome !== 'skipped',
  );
  const out: string[] = [];
  for (const result of failed.slice(0, maxJobs)) {
    const log = result.pid === null ? '' : ` · ${displayPath(result.logPath)}`;
    out.push(`── ${result.name} · ${describeOutcome(result)}${log}`);
    out.push(`  $ ${shortCommand(result.command, MAX_COMMAND)}`);
    const shown = result.pid === null ? [] : tail(result);
    if ('empty' in shown) out.push(`  (${shown.empty})`);
    else for (const line of shown.slice(-lines)) out.push(`  │ ${cut(line, MAX_LINE)}`);
  }
  const more = failed.length - maxJobs;
  if (more > 0) {
    out.push(
      `── ... and ${more} more job${more === 1 ? '' : 's'} that did not succeed: 'parex logs NAME' shows a job's log`,
    );
  }
  return out;
}
