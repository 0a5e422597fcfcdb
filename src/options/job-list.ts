// The jobs of a group, planned: all at once from an array (a library caller's specs), or one
// at a time from a source (100,000 commands of a file), so that a run keeps only each job's
// name (none for the default names job1..N), not its planned form, until the job starts.
import type { JobSpec } from '../model/job.js';
import { NameList } from '../names/name-list.js';
import { checkNeeds, rejectDuplicates } from './check-jobs.js';
import type { PlannedJob } from './normalize.js';
import { NO_ENV, planJob } from './plan-job.js';
import { validateJobType } from './validate-options.js';

/** Jobs handed over one at a time: `at(index)` must give the same job each time it is asked. */
export interface JobSource {
  readonly length: number;
  at(index: number): JobSpec | string | undefined;
}

/** The planned jobs of a group, by position. */
export interface PlannedJobs {
  readonly length: number;
  /** Job number `index`, planned (from a source: planned again at each call). */
  at(index: number): PlannedJob;
  /** Every job's name, by position. */
  readonly names: NameList;
  /** What job number `index` needs. */
  needs(index: number): readonly string[];
  /** The jobs that must have ended (any outcome) before job number `index` starts. */
  after(index: number): readonly string[];
  /** True when some job needs another. */
  readonly anyNeeds: boolean;
  /** True when every job has input of its own (the fork server starts only jobs without). */
  readonly allHaveInput: boolean;
  /** The jobs' own environments, for the secret scan (each distinct one once). */
  readonly envs: readonly Readonly<Record<string, string>>[];
}

/** Plans and validates every job (a UsageError for the first bad one, before anything runs). */
export function planJobs(
  jobs: readonly (JobSpec | string)[] | JobSource,
  logDir: string,
  timeoutSec: number,
  idleTimeoutSec: number,
): PlannedJobs {
  const fromArray = Array.isArray(jobs);
  const source = jobs as JobSource;
  const plan = (index: number) => {
    const job = source.at(index);
    if (!fromArray) validateJobType(job, index);
    return planJob(job as JobSpec | string, index, logDir, timeoutSec, idleTimeoutSec);
  };
  const kept: PlannedJob[] = [];
  const names = new NameList();
  const needs = new Map<number, readonly string[]>();
  const after = new Map<number, readonly string[]>();
  const envs = new Set<Readonly<Record<string, string>>>();
  let allHaveInput = true;
  for (let index = 0; index < source.length; index += 1) {
    const job = plan(index);
    if (fromArray) kept.push(job);
    names.add(job.name);
    if (job.needs.length > 0) needs.set(index, job.needs);
    if (job.after.length > 0) after.set(index, job.after);
    if (job.env !== NO_ENV) envs.add(job.env);
    if (job.input === null) allHaveInput = false;
  }
  // The default names job1..N are all different; others are compared ignoring case.
  if (!names.allDefault || names.length !== source.length) {
    rejectDuplicates(Array.from({ length: source.length }, (_, at) => plan(at).name));
  }
  const none: readonly string[] = [];
  if (needs.size + after.size > 0) {
    checkNeeds(
      names.toArray().map((name, index) => ({
        name,
        needs: needs.get(index) ?? none,
        after: after.get(index) ?? none,
      })),
    );
  }
  return {
    length: names.length,
    at: fromArray ? (index) => kept[index] as PlannedJob : plan,
    names,
    needs: (index) => needs.get(index) ?? none,
    after: (index) => after.get(index) ?? none,
    anyNeeds: needs.size > 0,
    allHaveInput,
    envs: [...envs],
  };
}
