// Small pieces of a group's result: the needs by name, the widest wave, the jobs never
// started, the reason of a job the engine's own halt stopped, and the signal that cancelled the run.
import { waves } from '../graph/topology.js';
import type { GroupHalt, JobResult } from '../model/result.js';
import type { PlannedJobs } from '../options/job-list.js';
import type { RunHalt } from './halt.js';

/** What each job needs, for the jobs that need any. */
export function needsByName(jobs: PlannedJobs): Record<string, readonly string[]> {
  const needs: Record<string, readonly string[]> = {};
  if (!jobs.anyNeeds) return needs;
  for (let index = 0; index < jobs.length; index += 1) {
    if (jobs.needs(index).length > 0) needs[jobs.names.at(index)] = jobs.needs(index);
  }
  return needs;
}

/** The most jobs the needs let run at once (null without needs: all of them). */
export function widestWave(jobs: PlannedJobs): number | null {
  if (!jobs.anyNeeds) return null;
  const nodes = jobs.names
    .toArray()
    .map((name: string, index: number) => ({ name, needs: jobs.needs(index) }));
  return waves(nodes).reduce((widest, wave) => Math.max(widest, wave.length), 0);
}

/** The jobs never started: those the scheduler left, then those a pool never started. */
export function unstartedNames(
  jobs: PlannedJobs,
  left: readonly number[],
  neverStarted: ReadonlySet<string>,
): string[] {
  const names = left.map((index) => jobs.names.at(index));
  if (neverStarted.size === 0) return names;
  for (let index = 0; index < jobs.length; index += 1) {
    if (neverStarted.has(jobs.names.at(index))) names.push(jobs.names.at(index));
  }
  return names;
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
