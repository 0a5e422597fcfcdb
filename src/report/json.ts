// `parex report --json`: the figures of a run as one JSON object, for other programs.
import type { RunReport } from './analysis.js';

/** The report as a plain JSON value (times as ISO strings, durations in milliseconds). */
export function reportJson(
  runId: string,
  report: RunReport,
  runs: readonly string[],
  tails: Readonly<Record<string, readonly string[]>>,
): Record<string, unknown> {
  const { figures } = report;
  return {
    run_id: runId,
    runs,
    started_at: report.startedAt?.toISOString() ?? null,
    wall_ms: figures.wallMs,
    sum_ms: figures.sumMs,
    speedup: figures.speedup,
    slots: figures.slots,
    efficiency: figures.efficiency,
    critical_path: figures.criticalPath,
    critical_path_ms: figures.criticalPathMs,
    gap_ms: figures.gapMs,
    slowest: figures.longest,
    input_tokens: report.inputTokens,
    output_tokens: report.outputTokens,
    cost_usd: report.costUsd,
    stages: report.stages.map((stage) => ({
      label: stage.label,
      jobs: stage.jobs,
      wall_ms: stage.wallMs,
      sum_ms: stage.sumMs,
      speedup: stage.speedup,
      slots: stage.slots,
      efficiency: stage.efficiency,
      slowest: stage.slowest,
    })),
    attempts: report.attempts.map((attempt) => ({
      name: attempt.name,
      attempt: attempt.attempt ?? 1,
      outcome: attempt.outcome,
      started_at: attempt.startedAt.toISOString(),
      ended_at: attempt.endedAt.toISOString(),
      duration_ms: attempt.durationMs,
    })),
    jobs: report.jobs.map((job) => ({
      name: job.name,
      state: job.state,
      exit_code: job.exitCode,
      started_at: job.startedAt?.toISOString() ?? null,
      duration_ms: job.durationMs,
      attempts: job.attempts,
      reason: job.reason,
      log: job.state === 'skipped' ? null : job.logPath,
    })),
    failures: report.failures.map((job) => ({
      name: job.name,
      state: job.state,
      tail: tails[job.name] ?? [],
    })),
  };
}
