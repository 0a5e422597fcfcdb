// The names parex gives its git refs. A run's refs live under refs/parex/RUN/ and its branches
// under parex/RUN/: the jobs one level down (job/JOB), because git cannot hold parex/RUN and
// parex/RUN/JOB side by side, nor a job named "base" beside refs/parex/RUN/base.

/** The base snapshot of run `runId`: HEAD plus every uncommitted change when it started. */
export function baseRef(runId: string): string {
  return `refs/parex/${runId}/base`;
}

/** The commit of job `job`'s work. */
export function jobRef(runId: string, job: string): string {
  return `refs/parex/${runId}/job/${job}`;
}

/** The branch job `job` works on in its worktree (short name, without refs/heads/). */
export function jobBranch(runId: string, job: string): string {
  return `parex/${runId}/job/${job}`;
}

/** The run's result: the base plus every successful job's commit. */
export function resultRef(runId: string): string {
  return `refs/parex/${runId}/result`;
}

/** The branch of the run's result (short name). */
export function resultBranch(runId: string): string {
  return `parex/${runId}/result`;
}

/** Every ref and branch of run `runId`, as prefixes for `git for-each-ref`. */
export function runRefPrefixes(runId: string): readonly string[] {
  return [`refs/parex/${runId}/`, `refs/heads/parex/${runId}/`];
}
