// Small pieces of a group's result: each attempt's span for the figures, the widest wave, the
// reason of a job the engine's own halt stopped, and the signal that cancelled the run.
import { waves } from '../graph/topology.js';
import type { GroupHalt, JobResult, JobSpan } from '../model.js';
import type { PlannedJob } from '../options/normalize.js';
import type { RunHalt } from './halt.js';

/** One attempt as the figures see it. */
export function spanOf(result: JobResult, needs: readonly string[]): JobSpan {
  const { name, startedAt, endedAt, durationMs, attempt } = result;
  return { name, startedAt, endedAt, durationMs, attempt, needs };
}

/** The most jobs the needs let run at once (null without needs: all of them). */
export function widestWave(jobs: readonly PlannedJob[]): number | null {
  if (jobs.every((job) => job.needs.length === 0)) return null;
  return Math.max(...waves(jobs).map((wave) => wave.length));
}

/** A job the engine's own halt stopped says so in its reason. */
export function why(result: JobResult, halt: RunHalt): JobResult {
  const cause = halt.cause;
  if (cause === null || result.outcome !== 'cancelled' || result.reason !== null) return result;
  return { ...result, reason: haltWords(cause) };
}

/** Why the run was halted, in words. */
export function haltWords(cause: GroupHalt): string {
  return `stopped by --fail-fast: ${cause.job} did not succeed (${cause.outcome})`;
}

/** The signal a cancel's reason names, if it names one. */
export function signalOf(reason: unknown): NodeJS.Signals | null {
  return typeof reason === 'string' && reason.startsWith('SIG') ? (reason as NodeJS.Signals) : null;
}
