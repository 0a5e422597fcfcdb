// Checks across the jobs of a group: unique names, needs that name other jobs, no cycles.
import { UsageError } from '../errors.js';
import { findCycle, type GraphNode } from '../graph/topology.js';
import { didYouMean } from '../names/suggest.js';

/** How many job names an error lists before it says how many more there are. */
const NAMES_SHOWN = 10;

/** Throws a UsageError when a job needs itself, an unknown job, or the needs form a cycle. */
export function checkNeeds(
  jobs: readonly (GraphNode & { readonly after: readonly string[] })[],
): void {
  const names = new Set(jobs.map((job) => job.name));
  for (const job of jobs) {
    for (const need of job.after.length === 0 ? job.needs : [...job.needs, ...job.after]) {
      if (!names.has(need) || need === job.name) {
        const others = [...names].filter((other) => other !== job.name);
        const hint = need === job.name ? '' : didYouMean(need, others);
        throw new UsageError(
          `job ${job.name} needs ${JSON.stringify(need)}, which is ${need === job.name ? 'itself' : 'not a job of this group'}${hint}`,
          'a job starts only after every job it needs has succeeded',
          `name only other jobs of the group: ${someNames(others)}`,
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

/** "a, b, c", or the first few and "and N more" for a long list; "(none)" for an empty one. */
function someNames(names: readonly string[]): string {
  if (names.length === 0) return '(none)';
  const shown = names.slice(0, NAMES_SHOWN).join(', ');
  return names.length <= NAMES_SHOWN ? shown : `${shown} and ${names.length - NAMES_SHOWN} more`;
}
