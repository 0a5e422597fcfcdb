// spend.json beside the manifest: the run's spend and every agent job's, rewritten (whole, by
// rename) at most twice a second while agents report usage, and once at the end. `parex status`
// reads it for the spend of jobs still running; the report for the budget line.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { Spend, SpendReport } from '../model.js';
import { monotonicMs } from '../process/clock.js';

/** The file's name inside the log directory. */
export const SPEND_FILE = 'spend.json';

/** What spend.json holds. */
export interface SpendFileContents {
  readonly run_id: string;
  readonly updated_at: string;
  readonly prices_as_of: string;
  readonly max_cost_usd: number | null;
  readonly max_tokens: number | null;
  readonly reached: string | null;
  readonly run: Spend;
  readonly jobs: Readonly<Record<string, Spend>>;
}

/** Least time between two writes while the run goes on. */
const INTERVAL_MS = 500;

/** Writes spend.json for one run. */
export class SpendFile {
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly logDir: string,
    private readonly runId: string,
  ) {}

  /** Writes the file, unless one was written less than INTERVAL_MS ago and `force` is false. */
  write(
    report: SpendReport,
    ledger: { entries(): [string, Spend][] } | null,
    force: boolean,
  ): void {
    const now = monotonicMs();
    if (ledger === null || (!force && now - this.last < INTERVAL_MS)) return;
    this.last = now;
    const contents: SpendFileContents = {
      run_id: this.runId,
      updated_at: new Date().toISOString(),
      prices_as_of: report.pricesAsOf,
      max_cost_usd: report.maxCostUsd,
      max_tokens: report.maxTokens,
      reached: report.reached,
      run: report.run,
      jobs: Object.fromEntries(ledger.entries()),
    };
    const file = path.join(this.logDir, SPEND_FILE);
    try {
      writeFileSync(`${file}.partial`, `${JSON.stringify(contents, null, 2)}\n`);
      renameSync(`${file}.partial`, file);
    } catch {
      // The manifest is the record; a spend file that cannot be written only loses the live figures.
    }
  }
}

/** The spend.json of a log directory, or null when there is none (or it is unreadable). */
export function readSpendFile(logDir: string): SpendFileContents | null {
  try {
    return JSON.parse(readFileSync(path.join(logDir, SPEND_FILE), 'utf8')) as SpendFileContents;
  } catch {
    return null;
  }
}
