// Where the time went: per wave (or group) wall time, summed time, speedup and efficiency,
// the critical path, the slowest job, failures, and token and cost totals.

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
  readonly slowest: string | null;
}

/** The whole report of a run. */
export interface RunReport {
  readonly jobs: readonly JobView[];
  readonly stages: readonly StageReport[];
  readonly wallMs: number;
  readonly sumMs: number;
  readonly speedup: number;
  readonly startedAt: Date | null;
  /** The chain of jobs that set the wall time, first to last. */
  readonly criticalPath: readonly string[];
  readonly criticalPathMs: number;
  readonly slowest: string | null;
  readonly failures: readonly JobView[];
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly costUsd: number | null;
  /** The agents' tokens, added like with like; null when no job reported any. */
  readonly tokens: TokenTotals | null;
}

/** Analyses the jobs of a run (as `viewJobs` reads them from its manifest). */
export function analyseRun(jobs: readonly JobView[]): RunReport {
  const timed = jobs.filter(isTimed);
  const overall = computeSpeedup(timed.map(span));
  return {
    jobs,
    stages: stagesOf(timed),
    wallMs: overall.wallMs,
    sumMs: overall.sumMs,
    speedup: overall.speedup,
    startedAt:
      timed.length === 0
        ? null
        : new Date(Math.min(...timed.map((job) => job.startedAt.getTime()))),
    ...criticalPath(timed),
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

function span(job: TimedJob) {
  return {
    name: job.name,
    startedAt: job.startedAt,
    endedAt: job.endedAt,
    durationMs: job.durationMs,
  };
}

function stagesOf(jobs: readonly TimedJob[]): StageReport[] {
  const usesNeeds = jobs.some((job) => job.needs.length > 0);
  const groups = new Map<string, TimedJob[]>();
  const levels = usesNeeds ? levelsOf(jobs) : new Map<string, number>();
  for (const job of jobs) {
    const label = usesNeeds
      ? `wave ${(levels.get(job.name) ?? 0) + 1}`
      : `group ${job.group ?? job.runId}`;
    groups.set(label, [...(groups.get(label) ?? []), job]);
  }
  return [...groups.entries()].map(([label, members]) => {
    const figures = computeSpeedup(members.map(span));
    return {
      label,
      jobs: members.map((job) => job.name),
      wallMs: figures.wallMs,
      sumMs: figures.sumMs,
      speedup: figures.speedup,
      efficiency: members.length === 0 ? 0 : figures.speedup / members.length,
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

function criticalPath(jobs: readonly TimedJob[]): {
  criticalPath: string[];
  criticalPathMs: number;
} {
  if (jobs.length === 0) return { criticalPath: [], criticalPathMs: 0 };
  const byName = new Map(jobs.map((job) => [job.name, job]));
  const latest = (candidates: readonly TimedJob[]) =>
    candidates.reduce((best, job) => (job.endedAt > best.endedAt ? job : best));
  const path: TimedJob[] = [latest(jobs)];
  for (;;) {
    const current = path[0] as TimedJob;
    const needs = current.needs
      .flatMap((need) => byName.get(need) ?? [])
      .filter((job) => !path.includes(job));
    if (needs.length === 0) break;
    path.unshift(latest(needs));
  }
  const first = path[0] as TimedJob;
  const last = path.at(-1) as TimedJob;
  return {
    criticalPath: path.map((job) => job.name),
    criticalPathMs: last.endedAt.getTime() - first.startedAt.getTime(),
  };
}

function total(jobs: readonly JobView[], pick: (job: JobView) => number | null): number | null {
  const values = jobs.map(pick).filter((value): value is number => value !== null);
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0);
}
