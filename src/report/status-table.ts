// The table of `parex status`: one row per job, from the manifest.
import { alignColumns, displayPath, formatDuration } from './format.js';
import type { JobState, JobView } from './run-view.js';
import { formatTotals, sumTokens } from './tokens.js';

/** The word for each state, as the table shows it. */
const STATE_WORDS: Readonly<Record<JobState, string>> = {
  running: 'RUNNING',
  lost: 'LOST',
  success: 'SUCCESS',
  failed: 'FAILED',
  timeout: 'TIMEOUT',
  killed: 'KILLED',
  cancelled: 'CANCELLED',
  spawn_error: 'SPAWN ERROR',
  skipped: 'SKIPPED',
  stalled: 'STALLED',
  budget: 'BUDGET',
  conflict: 'CONFLICT',
  setup_failed: 'SETUP FAILED',
};

/** The status table as lines: a count line, then one row per job. */
export function formatStatus(jobs: readonly JobView[], logDir: string): string[] {
  const counts = new Map<string, number>();
  for (const job of jobs)
    counts.set(STATE_WORDS[job.state], (counts.get(STATE_WORDS[job.state]) ?? 0) + 1);
  const summary = [...counts.entries()]
    .map(([state, count]) => `${count} ${state.toLowerCase()}`)
    .join(', ');
  const runs = [...new Set(jobs.map((job) => job.runId))];
  // A pooled run's jobs say where they ran; a local run's table has no such column.
  const pooled = jobs.some((job) => job.worker !== null);
  const rows = [
    [
      'JOB',
      'STATE',
      'EXIT',
      'TIME',
      'ATTEMPTS',
      'TOKENS',
      'COST',
      ...(pooled ? ['WORKER'] : []),
      'LOG',
    ],
  ];
  for (const job of jobs) {
    rows.push([
      job.name,
      STATE_WORDS[job.state],
      job.exitCode === null ? '-' : String(job.exitCode),
      job.durationMs === null ? '-' : formatDuration(job.durationMs),
      String(job.attempts),
      tokens(job),
      job.costUsd === null ? '-' : `$${job.costUsd.toFixed(4)}`,
      ...(pooled ? [job.worker ?? '-'] : []),
      hasLog(job) ? displayPath(job.logPath as string) : '-',
    ]);
  }
  const totals = sumTokens(jobs.map((job) => job.tokens ?? {}));
  return [
    `${displayPath(logDir)}: ${jobs.length} job${jobs.length === 1 ? '' : 's'} (${summary || 'none'}), run${runs.length === 1 ? '' : 's'} ${runs.join(', ')}`,
    ...alignColumns(rows),
    ...(totals === null ? [] : [`tokens: ${formatTotals(totals)}`]),
    ...conflictLines(jobs),
  ];
}

/** A job as JSON for `parex status --json`. */
export function statusJson(job: JobView): Record<string, unknown> {
  return {
    name: job.name,
    run_id: job.runId,
    state: job.state,
    exit_code: job.exitCode,
    pid: job.pid,
    started_at: job.startedAt?.toISOString() ?? null,
    ended_at: job.endedAt?.toISOString() ?? null,
    duration_ms: job.durationMs,
    attempts: job.attempts,
    agent: job.agent,
    input_tokens: job.inputTokens,
    output_tokens: job.outputTokens,
    cost_usd: job.costUsd,
    ...job.tokens,
    reason: job.reason,
    worker: job.worker,
    queue_ms: job.queueMs,
    log: hasLog(job) ? job.logPath : null,
    log_tail: job.logTail ?? null,
    conflicts: job.conflicts,
  };
}

/** One line per conflict between isolated jobs: "conflict: a x b in f.txt". */
export function conflictLines(jobs: readonly JobView[]): string[] {
  return jobs.flatMap((job) =>
    job.conflicts.map((conflict) =>
      job.pid === null
        ? `conflict: ${conflict.job}, which ${job.name} needs, in ${conflict.files.join(', ')}`
        : `conflict: ${conflict.job} x ${job.name} in ${conflict.files.join(', ')}`,
    ),
  );
}

/** Whether the job has a log: it was not skipped, and a process was started for it (a job its
 * workspace refused and a judge that chose from its candidates' scores never had one). */
function hasLog(job: JobView): boolean {
  if (job.logPath === null || job.state === 'skipped') return false;
  return job.pid !== null || job.state === 'running' || job.state === 'spawn_error';
}

function tokens(job: JobView): string {
  if (job.inputTokens === null && job.outputTokens === null) return '-';
  return `${job.inputTokens ?? 0} in / ${job.outputTokens ?? 0} out`;
}
