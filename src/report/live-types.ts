// What the live view knows: every job's place in its life, kept compact (one byte a job
// unless it is running or among the latest ended), and the state before the first event.
import type { GroupEvent } from '../model/events.js';
import type { Spend, TokenUsage } from '../model/outcome.js';
import type { JobResult } from '../model/result.js';
import { NameList } from '../names/name-list.js';

/** One job as the live view knows it. */
export type LiveJob =
  | { readonly name: string; readonly state: 'queued' }
  | { readonly name: string; readonly state: 'not_started' }
  | {
      readonly name: string;
      readonly state: 'running' | 'stopping';
      readonly pid: number;
      readonly startedAt: number;
      readonly timeoutSec: number;
      readonly logPath: string;
      /** An agent job (its log is a JSON event stream, never shown raw). */
      readonly agent?: boolean;
      /** An agent's latest activity in words, and its tokens so far (job-activity, job-usage). */
      readonly activity?: string;
      readonly usage?: TokenUsage;
    }
  | { readonly name: string; readonly state: 'done'; readonly result: JobResult };

/** How many jobs are in each part of their life; a cancelled job is not a failed one. */
export interface LiveCounts {
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  skipped: number;
  notStarted: number;
}

/** Everything on screen. `applyEvent` changes it in place. A job is one byte (its bucket)
 * unless it is running or among the latest that ended, so that a group of 100,000 jobs keeps
 * no row, and no result, per job. */
export interface LiveState {
  runId: string;
  logDir: string;
  startedAt: number;
  /** Jobs at once; 0 = all. */
  concurrency: number;
  /** Every job's name, by position (the default names job1..N are not stored). */
  readonly names: NameList;
  /** Every job's bucket (BUCKETS), by position. */
  buckets: Uint8Array;
  /** No job before this position is queued (jobs never go back to the queue). */
  queuedFrom: number;
  /** The rows kept: running and stopping jobs, and the latest jobs that ended. */
  readonly rows: Map<number, LiveJob>;
  /** The jobs each job needs, for those that need any. */
  readonly needs: Map<string, readonly string[]>;
  /** Names of the latest jobs that ended without success (not skipped), in the order they ended. */
  readonly failures: string[];
  /** Names of the latest jobs that succeeded (or were skipped), in the order they ended. */
  readonly successes: string[];
  readonly counts: LiveCounts;
  /** The durations of the jobs that ran to an end, for the ETA. */
  finishedMs: number;
  finishedCount: number;
  /** The widest job name, in characters. */
  nameWidth: number;
  /** What the agent jobs and the run have spent so far (from `usage` events). */
  spend?: LiveSpend;
}

/** The buckets, in the order of their codes in `LiveState.buckets`. */
export const BUCKETS: readonly (keyof LiveCounts)[] = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'skipped',
  'notStarted',
];

/** How many ended jobs keep their row (more than any terminal has lines). */
export const KEPT_ENDED = 1000;

/** The spend part of the live view. */
export interface LiveSpend {
  readonly jobs: Readonly<Record<string, Spend>>;
  readonly run: Spend | null;
  /** The last budget event, in words. */
  readonly budget: Extract<GroupEvent, { type: 'budget' }> | null;
  /** Providers paused after a rate limit: until when (epoch ms), and why. */
  readonly pauses: Readonly<Record<string, { readonly until: number; readonly reason: string }>>;
}

/** The state before the first event. */
export function emptyLiveState(): LiveState {
  return {
    runId: '',
    logDir: '',
    startedAt: 0,
    concurrency: 0,
    names: new NameList(),
    buckets: new Uint8Array(0),
    queuedFrom: 0,
    rows: new Map(),
    needs: new Map(),
    failures: [],
    successes: [],
    counts: emptyCounts(),
    finishedMs: 0,
    finishedCount: 0,
    nameWidth: 4,
  };
}

/** Every count at zero. */
export function emptyCounts(): LiveCounts {
  return {
    queued: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
    cancelled: 0,
    skipped: 0,
    notStarted: 0,
  };
}
