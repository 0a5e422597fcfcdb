// What the engine reports while a group runs.
import type { Spend, StopReason, TokenUsage } from './outcome.js';
import type { GroupResult, JobResult } from './result.js';

/** What the engine reports while a group runs. */
export type GroupEvent =
  | {
      readonly type: 'run-start';
      readonly runId: string;
      readonly logDir: string;
      readonly jobs: number;
      /** The jobs' names, in the order given. */
      readonly names: readonly string[];
      /** What each job needs, for the jobs that need any (absent or empty: none do). */
      readonly needs?: Readonly<Record<string, readonly string[]>>;
      readonly concurrency: number;
    }
  | {
      readonly type: 'job-start';
      readonly name: string;
      readonly pid: number;
      readonly command: string;
      readonly startedAt: Date;
      readonly logPath: string;
      readonly attempt: number;
      /** The job's timeout in seconds (0 = none). */
      readonly timeoutSec: number;
      readonly fields: Readonly<Record<string, unknown>>;
    }
  | {
      readonly type: 'job-signal';
      readonly name: string;
      readonly pid: number;
      readonly signal: NodeJS.Signals;
      readonly reason: StopReason | 'leftovers';
    }
  | {
      /** What an agent job is doing now, in words: one line per event of its stream. */
      readonly type: 'job-activity';
      readonly name: string;
      readonly at: Date;
      readonly text: string;
    }
  | {
      /** An agent job's token use so far (cumulative for this attempt). */
      readonly type: 'job-usage';
      readonly name: string;
      readonly at: Date;
      readonly usage: TokenUsage;
    }
  | {
      /** The spend of a job and of the whole run, after a job-usage event was priced. */
      readonly type: 'usage';
      readonly name: string;
      readonly at: Date;
      readonly job: Spend;
      readonly run: Spend;
    }
  | {
      /** A budget crossed its warning line (80%) or was reached. */
      readonly type: 'budget';
      readonly at: Date;
      readonly level: 'warning' | 'reached';
      /** 'run', or the phase whose own budget it is. */
      readonly scope: string;
      readonly limit: 'cost_usd' | 'tokens';
      readonly max: number;
      readonly spent: number;
    }
  | {
      /** New starts of one provider's jobs are held back after a rate limit. */
      readonly type: 'provider-pause';
      readonly provider: string;
      readonly at: Date;
      readonly waitMs: number;
      readonly until: Date;
      /** The job whose rate limit caused it. */
      readonly name: string;
      readonly reason: string;
    }
  | { readonly type: 'job-end'; readonly result: JobResult }
  | { readonly type: 'job-skip'; readonly result: JobResult }
  | { readonly type: 'run-end'; readonly result: GroupResult };
