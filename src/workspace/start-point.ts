// Where an isolated job starts: the run's base plus the commits of the jobs it needs, merged in
// its `needs` order. The same function serves local worktrees and pooled workers.
import { combineCommits, type NamedCommit } from './merge.js';

/** A job's start: a commit, or the needs that do not merge. */
export type StartPoint =
  | { readonly ok: true; readonly commit: string }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly files: readonly string[];
      readonly jobs: readonly string[];
    };

/** The commit job `job` starts from: `base` plus `needs` (in order), or why there is none. */
export async function startPoint(
  root: string,
  runId: string,
  job: string,
  base: string,
  needs: readonly NamedCommit[],
): Promise<StartPoint> {
  const combined = await combineCommits(
    root,
    base,
    needs,
    (next) => `parex: start of ${job} in run ${runId}: merge ${next.name}`,
  );
  if (combined.ok) return combined;
  const jobs = [...combined.mergedBefore, combined.failed];
  return {
    ok: false,
    reason: `the work of ${combined.mergedBefore.join(', ') || 'the base'} and ${combined.failed}, which ${job} needs, conflicts in ${combined.files.join(', ')}`,
    files: combined.files,
    jobs,
  };
}
