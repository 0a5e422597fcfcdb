// Checks across the jobs of a group: unique names, needs that name other jobs, no cycles.
import { UsageError } from '../errors.js';
import { findCycle, type GraphNode } from '../graph/topology.js';

/** Throws a UsageError when a job needs itself, an unknown job, or the needs form a cycle. */
export function checkNeeds(
  jobs: readonly (GraphNode & { readonly after: readonly string[] })[],
): void {
  const names = new Set(jobs.map((job) => job.name));
  for (const job of jobs) {
    for (const need of job.after.length === 0 ? job.needs : [...job.needs, ...job.after]) {
      if (!names.has(need) || need === job.name) {
        throw new UsageError(
          `job ${job.name} needs ${JSON.stringify(need)}, which is ${need === job.name ? 'itself' : 'not a job of this group'}`,
          'a job starts only after every job it needs has succeeded',
          `name only other jobs of the group: ${[...names].filter((other) => other !== job.name).join(', ') || '(none)'}`,
        );
      }
    }
  }
  const waits = jobs.some((job) => job.after.length > 0);
  const cycle = findCycle(
    waits ? jobs.map((job) => ({ name: job.name, needs: [...job.needs, ...job.after] })) : jobs,
  );
  if (cycle !== null) {
    throw new UsageError(
      `the jobs' needs form a cycle: ${cycle.join(' -> ')}`,
      'no job of a cycle could ever start',
      'remove one of those needs',
    );
  }
}

/** Throws a UsageError when two jobs share a name (ignoring case). */
export function rejectDuplicates(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    const key = name.toLowerCase();
    if (seen.has(key)) {
      throw new UsageError(
        `the job name ${JSON.stringify(name)} is used twice (names are compared ignoring case)`,
        'each job writes its own log file NAME.log, so two jobs with one name would overwrite each other',
        'give every job a different name (see --names)',
      );
    }
    seen.add(key);
  }
}
