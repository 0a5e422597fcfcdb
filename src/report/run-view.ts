// What a manifest says about its jobs: the latest state of each, for status, runs and report.
import type { EndEntry, ManifestEntry, StartEntry } from '../journal/entries.js';
import type { Outcome } from '../model/outcome.js';
import { AttemptSpend, SPEND_NUMBERS } from './attempt-spend.js';
import { workerWords } from './worker-words.js';

/** A job's state as the manifest shows it; `running` and `lost` are jobs with no completion yet. */
export type JobState = Outcome | 'running' | 'lost';

/** One job, from its latest lines. */
export interface JobView {
  readonly name: string;
  readonly runId: string;
  readonly state: JobState;
  readonly exitCode: number | null;
  readonly pid: number | null;
  readonly startedAt: Date | null;
  readonly endedAt: Date | null;
  /** Spawn to exit; for a running job, spawn to now. */
  readonly durationMs: number | null;
  /** How many times the job was started, in every run of this manifest. */
  readonly attempts: number;
  readonly agent: string | null;
  readonly needs: readonly string[];
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly costUsd: number | null;
  /** The phase whose budget the job's spend counts against (a candidate's phase; else its name). */
  readonly budgetPhase?: string;
  /** Where costUsd comes from: reported, estimated (price table) or unknown; null when not accounted. */
  readonly costSource?: string | null;
  /** The token fields of its line (input_tokens, cached_input_tokens, ... cost_usd), for totals. */
  readonly tokens?: Readonly<Record<string, unknown>>;
  readonly reason: string | null;
  readonly logPath: string | null;
  readonly group: string | null;
  /** The failure's log tail stored (redacted) on its completion line; null when none was stored. */
  readonly logTail?: readonly string[] | null;
  /** Isolated jobs: the earlier-finished siblings whose work conflicts with this job's, and where. */
  readonly conflicts: readonly JobConflict[];
  /** A best-of-N judge: every candidate as judged, the winner marked. */
  readonly candidates: readonly JudgedCandidate[];
  /** A pooled job: the worker that took it ("NAME on HOST"), and how long it waited for one. */
  readonly worker: string | null;
  readonly queueMs: number | null;
}

/** One candidate as its judge's completion line records it. */
export interface JudgedCandidate {
  readonly job: string;
  readonly outcome: string;
  readonly passed: boolean;
  readonly score: number | null;
  readonly diffLines: number;
  readonly judgeLog: string | null;
  readonly winner: boolean;
}

/** A conflict recorded on a job's completion line. */
export interface JobConflict {
  readonly job: string;
  readonly files: readonly string[];
}

/** Reads the latest state of every job from manifest lines; `isAlive` tells running from lost.
 * A finished job's tokens and cost are those of all its attempts. */
export function viewJobs(
  entries: readonly ManifestEntry[],
  isAlive: (pid: number) => boolean,
  now: Date = new Date(),
): JobView[] {
  const starts = new Map<string, StartEntry>();
  const ends = new Map<string, EndEntry>();
  const attempts = new Map<string, number>();
  const order = new Set<string>();
  const spent = new AttemptSpend();
  for (const entry of entries) {
    order.add(entry.phase);
    if (entry.status === 'started') {
      starts.set(entry.phase, entry);
      ends.delete(entry.phase);
      attempts.set(entry.phase, (attempts.get(entry.phase) ?? 0) + 1);
    } else {
      ends.set(entry.phase, entry);
      spent.add(entry);
    }
  }
  return [...order].map((name) => {
    const end = ends.get(name);
    const start = starts.get(name);
    return end === undefined
      ? openJob(name, start as StartEntry, attempts.get(name) ?? 1, isAlive, now)
      : closedJob({ ...end, ...spent.of(name) }, start, attempts.get(name) ?? 0);
  });
}

function openJob(
  name: string,
  start: StartEntry,
  attempts: number,
  isAlive: (pid: number) => boolean,
  now: Date,
): JobView {
  const startedAt = new Date(start.started_at ?? start.timestamp);
  // A pool's job runs on its worker: here, its coordinator's life tells whether it still runs.
  const coordinator = (start as StartEntry & { coordinator_pid?: unknown }).coordinator_pid;
  const alive = isAlive(typeof coordinator === 'number' ? coordinator : start.pid);
  return {
    ...fields(start),
    name,
    runId: start.run_id,
    state: alive ? 'running' : 'lost',
    exitCode: null,
    pid: start.pid,
    startedAt,
    endedAt: null,
    durationMs: alive ? now.getTime() - startedAt.getTime() : null,
    attempts,
    reason: alive ? null : 'no completion line, and its process is gone (parex was killed?)',
    logPath: start.log ?? null,
    group: start.group ?? null,
    logTail: null,
  };
}

function closedJob(end: EndEntry, start: StartEntry | undefined, attempts: number): JobView {
  const durationMs =
    typeof end.duration_ms === 'number' ? end.duration_ms : (end.duration_sec ?? 0) * 1000;
  const endedAt = new Date(end.ended_at ?? end.timestamp);
  return {
    ...fields(end),
    name: end.phase,
    runId: end.run_id,
    state: (end.outcome ?? (end.status === 'success' ? 'success' : 'failed')) as JobState,
    exitCode: end.exit_code ?? null,
    pid: end.pid ?? start?.pid ?? null,
    startedAt: end.started_at ? new Date(end.started_at) : new Date(endedAt.getTime() - durationMs),
    endedAt,
    durationMs: end.status === 'skipped' ? null : durationMs,
    attempts,
    reason: end.reason ?? null,
    logPath: end.log ?? null,
    group: end.group ?? null,
    logTail: storedTail(end),
  };
}

function storedTail(end: EndEntry): readonly string[] | null {
  const tail: unknown = (end as { log_tail?: unknown }).log_tail;
  return Array.isArray(tail)
    ? tail.filter((line): line is string => typeof line === 'string')
    : null;
}

function fields(
  entry: ManifestEntry,
): Pick<
  JobView,
  | 'agent'
  | 'needs'
  | 'inputTokens'
  | 'outputTokens'
  | 'costUsd'
  | 'costSource'
  | 'tokens'
  | 'budgetPhase'
  | 'conflicts'
  | 'candidates'
  | 'worker'
  | 'queueMs'
> {
  const record = entry as unknown as Record<string, unknown>;
  const number = (key: string) =>
    typeof record[key] === 'number' ? (record[key] as number) : null;
  return {
    agent: typeof record.agent === 'string' ? record.agent : null,
    needs: Array.isArray(record.needs) ? (record.needs as string[]) : [],
    inputTokens: number('input_tokens'),
    outputTokens: number('output_tokens'),
    costUsd: number('cost_usd'),
    costSource: typeof record.cost_source === 'string' ? record.cost_source : null,
    budgetPhase: typeof record.budget_phase === 'string' ? record.budget_phase : entry.phase,
    tokens: {
      ...Object.fromEntries(SPEND_NUMBERS.map((key) => [key, number(key)])),
      ...(typeof record.cost_source === 'string' ? { cost_source: record.cost_source } : {}),
    },
    worker: workerWords(record.worker),
    queueMs: number('queue_ms'),
    conflicts: Array.isArray(record.conflicts)
      ? (record.conflicts as unknown[]).flatMap(conflictOf)
      : [],
    candidates: Array.isArray(record.candidates)
      ? (record.candidates as Record<string, unknown>[]).map((entry) => ({
          job: String(entry.job),
          outcome: String(entry.outcome),
          passed: entry.passed === true,
          score: typeof entry.score === 'number' ? entry.score : null,
          diffLines: typeof entry.diff_lines === 'number' ? entry.diff_lines : 0,
          judgeLog: typeof entry.judge_log === 'string' ? entry.judge_log : null,
          winner: entry.winner === true,
        }))
      : [],
  };
}

function conflictOf(value: unknown): JobConflict[] {
  const record = value as { job?: unknown; jobs?: unknown; files?: unknown } | null;
  const files = Array.isArray(record?.files) ? record.files.map(String) : [];
  if (typeof record?.job === 'string') return [{ job: record.job, files }];
  // A job that could not start: the needs whose work does not merge.
  if (Array.isArray(record?.jobs)) return [{ job: record.jobs.map(String).join(' + '), files }];
  return [];
}
