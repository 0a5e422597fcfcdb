// The manifest's line formats, built from the engine's events. Field names are a contract:
// the first five match the original tool's manifest so that existing jq scripts keep working.
import type { JobResult } from '../model/result.js';

/** Bumped whenever a field changes meaning or disappears. */
export const MANIFEST_SCHEMA_VERSION = 1;

/** Fields on every line. */
export interface CommonFields {
  readonly schema_version: number;
  readonly run_id: string;
  readonly feature: string | null;
  readonly group: string | null;
}

/** Written when a job's process has been spawned. */
export interface StartEntry extends CommonFields {
  readonly phase: string;
  readonly status: 'started';
  /** UTC, whole seconds, as the original wrote it. */
  readonly timestamp: string;
  readonly pid: number;
  readonly command: string;
  /** UTC with milliseconds. */
  readonly started_at: string;
  readonly log: string;
  readonly attempt: number;
  /** The most jobs of the run at once (its -j, or its job count); absent in older manifests. */
  readonly concurrency?: number;
}

/** Written when a job and everything in its process group have ended. */
export interface EndEntry extends CommonFields {
  readonly phase: string;
  readonly status: 'success' | 'failed' | 'skipped';
  readonly exit_code: number | null;
  readonly duration_sec: number;
  readonly timestamp: string;
  readonly outcome: JobResult['outcome'];
  readonly signal: string | null;
  readonly duration_ms: number;
  readonly started_at: string;
  readonly ended_at: string;
  readonly pid: number | null;
  readonly log: string;
  readonly stop_reason: JobResult['stopReason'];
  readonly signals_sent: readonly string[];
  /** Milliseconds between the first stop signal and SIGKILL, when parex sent SIGKILL. */
  readonly killed_after_ms: number | null;
  readonly timeout_sec: number;
  readonly idle_timeout_sec: number;
  readonly kill_after_sec: number;
  readonly reaped_leftovers: boolean;
  readonly leftovers_stopped: number;
  readonly leftover_signals: readonly string[];
  readonly error: string | null;
  readonly reason: string | null;
  readonly attempt: number;
  /** The last lines of a failed job's log, redacted at run time; [] for a success. */
  readonly log_tail: readonly string[];
}

/** Any line of the manifest. */
export type ManifestEntry = StartEntry | EndEntry;

/** The run-wide fields, taken once per run. */
export interface RunContext {
  readonly runId: string;
  readonly feature: string | null;
  readonly group: string | null;
  /** The most jobs at once, recorded on start lines. */
  readonly concurrency?: number;
}

/** The start line of a job. */
export function startEntry(
  context: RunContext,
  job: {
    name: string;
    pid: number;
    command: string;
    startedAt: Date;
    logPath: string;
    attempt: number;
    fields: Readonly<Record<string, unknown>>;
  },
): StartEntry {
  const entry: StartEntry = {
    phase: job.name,
    status: 'started',
    timestamp: isoSeconds(job.startedAt),
    ...common(context),
    pid: job.pid,
    command: job.command,
    started_at: job.startedAt.toISOString(),
    log: job.logPath,
    attempt: job.attempt,
    ...(context.concurrency === undefined ? {} : { concurrency: context.concurrency }),
  };
  return withExtras(entry, job.fields);
}

/** The completion line of a job. */
export function endEntry(context: RunContext, result: JobResult): EndEntry {
  const entry: EndEntry = {
    phase: result.name,
    status: statusOf(result),
    exit_code: result.exitCode,
    duration_sec: Math.round(result.durationMs / 1000),
    timestamp: isoSeconds(result.endedAt),
    ...common(context),
    outcome: result.outcome,
    signal: result.signal,
    duration_ms: result.durationMs,
    started_at: result.startedAt.toISOString(),
    ended_at: result.endedAt.toISOString(),
    pid: result.pid,
    log: result.logPath,
    stop_reason: result.stopReason,
    signals_sent: result.signalsSent,
    killed_after_ms: result.killedAfterMs ?? null,
    timeout_sec: result.timeoutSec,
    idle_timeout_sec: result.idleTimeoutSec,
    kill_after_sec: result.killAfterSec,
    reaped_leftovers: result.reapedLeftovers,
    leftovers_stopped: result.leftoversStopped ?? 0,
    leftover_signals: result.leftoverSignals ?? [],
    error: result.errorMessage,
    reason: result.reason,
    attempt: result.attempt,
    log_tail: result.logTail ?? [],
  };
  return withExtras(entry, result.details);
}

/** The original tool's status: a job that never ran (skipped, or not started for the budget) is skipped. */
function statusOf(result: JobResult): EndEntry['status'] {
  if (result.outcome === 'success') return 'success';
  const neverRan = result.outcome === 'budget' && result.pid === null;
  return result.outcome === 'skipped' || neverRan ? 'skipped' : 'failed';
}

/** Adds extra fields after the fixed ones; an extra never replaces a fixed field. */
function withExtras<T extends object>(entry: T, extras: Readonly<Record<string, unknown>>): T {
  const added = Object.entries(extras).filter(([key]) => !(key in entry));
  // Object.assign, not a spread: a spread that gains keys makes each line its own hidden class.
  return added.length === 0 ? entry : Object.assign({}, entry, Object.fromEntries(added));
}

function common(context: RunContext): CommonFields {
  return {
    schema_version: MANIFEST_SCHEMA_VERSION,
    run_id: context.runId,
    feature: context.feature,
    group: context.group,
  };
}

function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
