// The run's result: the base plus the commit of every successful isolated job, merged in DAG
// order, under refs/parex/RUN/result and on branch parex/RUN/result.
import { gitOk } from './git.js';
import { combineCommits, type NamedCommit } from './merge.js';
import { resultBranch, resultRef } from './refs.js';

/** The result's commit, or why the jobs' work does not merge. */
export type RunResult =
  | { readonly ok: true; readonly commit: string }
  | { readonly ok: false; readonly reason: string; readonly files: readonly string[] };

/** Merges `commits` (in DAG order) into `base` and names the result; nothing is named on conflict. */
export async function buildResult(
  root: string,
  runId: string,
  base: string,
  commits: readonly NamedCommit[],
): Promise<RunResult> {
  const combined = await combineCommits(
    root,
    base,
    commits,
    (next) => `parex: result of run ${runId}: merge ${next.name}`,
  );
  if (!combined.ok) {
    return {
      ok: false,
      reason:
        combined.mergedBefore.length === 0
          ? `the work of ${combined.failed} conflicts with the base in ${combined.files.join(', ')}`
          : `the work of ${combined.failed} does not merge onto the work merged before it (${combined.mergedBefore.join(', ')}) in ${combined.files.join(', ')}`,
      files: combined.files,
    };
  }
  await gitOk(['update-ref', resultRef(runId), combined.commit], { cwd: root });
  await gitOk(['update-ref', `refs/heads/${resultBranch(runId)}`, combined.commit], { cwd: root });
  return combined;
}
