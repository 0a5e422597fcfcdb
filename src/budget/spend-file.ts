// spend.json beside the manifest: the run's spend and every agent job's, rewritten (whole, by
// rename) at most twice a second while agents report usage, and once at the end. `parex status`
// reads it for the spend of jobs still running; the report for the budget line.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { Spend } from '../model/outcome.js';
import type { PhaseSpend, SpendReport } from '../model/spend.js';
import { monotonicMs } from '../process/clock.js';
import type { LiveSpendFigures } from '../report/live-spend.js';

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
  readonly by_agent?: Readonly<Record<string, Spend>>;
  readonly by_phase?: Readonly<Record<string, PhaseSpend>>;
}

/** Least time between two writes while the run goes on. */
const INTERVAL_MS = 500;

/** What the file is written from: the run's report and every job's spend. */
export type SpendSnapshot = () => { report: SpendReport; jobs: [string, Spend][] };

/** Writes spend.json for one run: at most every INTERVAL_MS while usage comes in, and at the end. */
export class SpendFile {
  private timer: NodeJS.Timeout | null = null;
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly logDir: string,
    private readonly runId: string,
    private readonly snapshot: SpendSnapshot,
  ) {}

  /** The spend changed: the file is rewritten now, or once the interval since the last write is over. */
  changed(): void {
    if (this.timer !== null) return;
    const wait = Math.max(0, this.last + INTERVAL_MS - monotonicMs());
    if (wait === 0) {
      this.write();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.write();
    }, wait);
    this.timer.unref();
  }

  /** The run has ended: the last figures are written at once (if any job spent anything). */
  close(): void {
    const pending = this.timer !== null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (pending || this.last > Number.NEGATIVE_INFINITY) this.write();
  }

  private write(): void {
    this.last = monotonicMs();
    const { report, jobs } = this.snapshot();
    const contents: SpendFileContents = {
      run_id: this.runId,
      updated_at: new Date().toISOString(),
      prices_as_of: report.pricesAsOf,
      max_cost_usd: report.maxCostUsd,
      max_tokens: report.maxTokens,
      reached: report.reached,
      run: report.run,
      jobs: Object.fromEntries(jobs),
      by_agent: report.byAgent,
      by_phase: report.byPhase ?? {},
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

/** The spend.json of a log directory as status reads it, or null when there is none (or it is unreadable). */
export function readSpendFile(logDir: string): LiveSpendFigures | null {
  let contents: SpendFileContents;
  try {
    contents = JSON.parse(readFileSync(path.join(logDir, SPEND_FILE), 'utf8')) as SpendFileContents;
  } catch {
    return null;
  }
  return {
    runId: contents.run_id,
    jobs: contents.jobs,
    report: {
      run: contents.run,
      maxCostUsd: contents.max_cost_usd,
      maxTokens: contents.max_tokens,
      reached: contents.reached,
      pricesAsOf: contents.prices_as_of,
      jobs: contents.jobs,
      byAgent: contents.by_agent ?? {},
      byPhase: contents.by_phase ?? {},
    },
  };
}
