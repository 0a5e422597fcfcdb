// Where the time went: per wave (or group) wall time, summed time, speedup and efficiency,
// the critical path, the slowest job, failures, and token and cost totals. Every attempt of a
// job is a span of its own; efficiency is over the slots the run actually had.
import type { JobSpan, SpeedupFigures } from '../model/result.js';
import type { JobView } from './run-view.js';
import { computeSpeedup } from './speedup.js';
import { sumTokens, type TokenTotals } from './tokens.js';

/** Figures for one set of jobs that ran together. */
export interface StageReport {
  /** "wave 2" for workflow phases, "group NAME" otherwise. */
  readonly label: string;
  readonly jobs: readonly string[];
  readonly wallMs: number;
  readonly sumMs: number;
  readonly speedup: number;
  /** Speedup over the most jobs that could have run at once: 1 means no slot sat idle. */
  readonly efficiency: number;
  /** The most jobs that could have run at once: min of -j and the stage's jobs. */
  readonly slots: number;
  readonly slowest: string | null;
}

/** One attempt of a job, for the timeline. */
export interface AttemptSpan extends JobSpan {
  readonly outcome: string;
}

/** The whole report of a run. */
export interface RunReport {
  readonly jobs: readonly JobView[];
  readonly stages: readonly StageReport[];
  readonly wallMs: number;
  readonly sumMs: number;
  readonly speedup: number;
  /** Every figure of the run as a whole (also in the summary, status and speedup). */
  readonly figures: SpeedupFigures;
  /** Every attempt that ran, in the order of the manifest. */
  readonly attempts: readonly AttemptSpan[];
  readonly startedAt: Date | null;
  /** The chain of attempts that set the wall time, first to last ("name#2" for a retry). */
  readonly criticalPath: readonly string[];
  /** The jobs of the critical path. */
  readonly criticalJobs: readonly string[];
  readonly criticalPathMs: number;
  readonly slowest: string | null;
  readonly failures: readonly JobView[];
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly costUsd: number | null;
  /** The agents' tokens, added like with like; null when no job reported any. */
  readonly tokens: TokenTotals | null;
}

/**
 * Analyses one run: its jobs (as `viewJobs` reads them), every attempt's span (default: the last
 * attempt of each job) and its -j (null: unknown, as in older manifests).
 */
export function analyseRun(
  jobs: readonly JobView[],
  attempts: readonly AttemptSpan[] = jobs.filter(isTimed).map(span),
  concurrency: number | null = null,
): RunReport {
  const timed = jobs.filter(isTimed);
  const needsOf = new Map(jobs.map((job) => [job.name, job.needs]));
  const withNeeds = attempts.map((attempt) => ({
    ...attempt,
    needs: attempt.needs?.length ? attempt.needs : (needsOf.get(attempt.name) ?? []),
  }));
  const levels = levelsOf(timed);
  const overall = computeSpeedup(withNeeds, concurrency, widest(levels, timed));
  return {
    jobs,
    stages: stagesOf(timed, withNeeds, levels, concurrency),
    wallMs: overall.wallMs,
    sumMs: overall.sumMs,
    speedup: overall.speedup,
    figures: overall,
    attempts: withNeeds,
    startedAt:
      attempts.length === 0
        ? null
        : new Date(Math.min(...attempts.map((attempt) => attempt.startedAt.getTime()))),
    criticalPath: overall.criticalPath,
    criticalJobs: [...new Set(overall.criticalPath.map((label) => label.replace(/#\d+$/, '')))],
    criticalPathMs: overall.criticalPathMs,
    slowest: overall.longest,
    failures: jobs.filter((job) => job.state !== 'success' && job.state !== 'running'),
    inputTokens: total(jobs, (job) => job.inputTokens),
    outputTokens: total(jobs, (job) => job.outputTokens),
    costUsd: total(jobs, (job) => job.costUsd),
    tokens: sumTokens(jobs.map((job) => job.tokens ?? {})),
  };
}

type TimedJob = JobView & {
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly durationMs: number;
};

function isTimed(job: JobView): job is TimedJob {
  return job.startedAt !== null && job.endedAt !== null && job.durationMs !== null;
}

function span(job: TimedJob): AttemptSpan {
  return {
    name: job.name,
    startedAt: job.startedAt,
    endedAt: job.endedAt,
    durationMs: job.durationMs,
    attempt: 1,
    needs: job.needs,
    outcome: job.state,
  };
}

/** The widest wave of a run with needs (null without needs). */
function widest(levels: ReadonlyMap<string, number>, jobs: readonly TimedJob[]): number | null {
  if (!jobs.some((job) => job.needs.length > 0)) return null;
  const counts = new Map<number, number>();
  for (const level of levels.values()) counts.set(level, (counts.get(level) ?? 0) + 1);
  return Math.max(...counts.values());
}

function stagesOf(
  jobs: readonly TimedJob[],
  attempts: readonly AttemptSpan[],
  levels: ReadonlyMap<string, number>,
  concurrency: number | null,
): StageReport[] {
  const usesNeeds = jobs.some((job) => job.needs.length > 0);
  const groups = new Map<string, TimedJob[]>();
  for (const job of jobs) {
    const label = usesNeeds
      ? `wave ${(levels.get(job.name) ?? 0) + 1}`
      : `group ${job.group ?? job.runId}`;
    groups.set(label, [...(groups.get(label) ?? []), job]);
  }
  return [...groups.entries()].map(([label, members]) => {
    const names = new Set(members.map((job) => job.name));
    const figures = computeSpeedup(
      attempts.filter((attempt) => names.has(attempt.name)),
      concurrency,
    );
    return {
      label,
      jobs: members.map((job) => job.name),
      wallMs: figures.wallMs,
      sumMs: figures.sumMs,
      speedup: figures.speedup,
      efficiency: figures.efficiency,
      slots: figures.slots,
      slowest: figures.longest,
    };
  });
}

function levelsOf(jobs: readonly TimedJob[]): Map<string, number> {
  const byName = new Map(jobs.map((job) => [job.name, job]));
  const levels = new Map<string, number>();
  const level = (name: string, seen: Set<string>): number => {
    const known = levels.get(name);
    if (known !== undefined) return known;
    const needs = (byName.get(name)?.needs ?? []).filter(
      (need) => byName.has(need) && !seen.has(need),
    );
    const value =
      needs.length === 0
        ? 0
        : 1 + Math.max(...needs.map((need) => level(need, new Set([...seen, name]))));
    levels.set(name, value);
    return value;
  };
  for (const job of jobs) level(job.name, new Set());
  return levels;
}

function total(jobs: readonly JobView[], pick: (job: JobView) => number | null): number | null {
  const values = jobs.map(pick).filter((value): value is number => value !== null);
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0);
}
