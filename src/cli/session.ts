// What every command that runs jobs shares: progress lines on stderr, the signal handlers,
// and the summary at the end.
import path from 'node:path';

import { appendHistory } from '../journal/history.js';
import type { GroupEvent, GroupResult } from '../model.js';
import { DEFAULTS } from '../options/defaults.js';
import { progressLine } from '../report/progress.js';
import { formatSummary } from '../report/summary.js';
import { stopOnSignals } from './stop-on-signals.js';

/** The hooks a run gets: cancellation on signals, and progress printing. */
export interface SessionHooks {
  readonly signal: AbortSignal;
  readonly forceSignal: AbortSignal;
  readonly onEvent: (event: GroupEvent) => void;
}

/** Writes a line to stderr. */
export function printError(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Runs `body` with signal handling and progress lines installed, and removes them afterwards. */
export async function withSession<T>(
  graceSec: number,
  body: (hooks: SessionHooks) => Promise<T>,
): Promise<T> {
  const signals = stopOnSignals(printError, graceSec);
  try {
    return await body({
      signal: signals.cancel,
      forceSignal: signals.force,
      onEvent: (event) => {
        if (event.type === 'run-start') recordRun(event.runId, event.logDir);
        const line = progressLine(event);
        if (line !== null) printError(line);
      },
    });
  } finally {
    signals.dispose();
  }
}

/** Adds the run to the history that `parex runs` and `parex status` read; never fails the run. */
function recordRun(runId: string, logDir: string): void {
  try {
    appendHistory(path.resolve(DEFAULTS.runsDir), {
      run_id: runId,
      log_dir: logDir,
      started_at: new Date().toISOString(),
      command: process.argv.slice(2),
    });
  } catch (error) {
    printError(
      `[parex] warning: could not record the run in ${DEFAULTS.runsDir}/history.jsonl (${String(error)})`,
    );
  }
}

/** Prints the end-of-run summary to stderr. */
export function printSummary(result: GroupResult): void {
  for (const line of formatSummary(result)) printError(line);
}
