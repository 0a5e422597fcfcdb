// An isolated job of a pooled run: its worktree is made on the worker, from its start commit
// sent there as a bundle; its commit comes back as a bundle, is named refs/parex/RUN/job/JOB
// here and checked out in the job's local worktree, so that what follows the job (its output
// checks, the judges, finish, conflicts, the result, apply) is what a local run does.
import type { TravellingWorkspace } from '../model.js';
import { createBundle, fetchBundle, knownCommits, verifyBundle } from './bundle.js';
import { gitOk } from './git.js';
import { jobBranch, jobRef, startRef } from './refs.js';
import type { RunState } from './run-state.js';
import { serially } from './serial.js';
import type { WorkspaceSetup } from './setup.js';
import { addWorktree, removeWorktree } from './worktree.js';

/** Where the job's commit is checked out here, and what it set up. */
export interface TravelPlace {
  readonly dir: string;
  readonly start: string;
  readonly setup: WorkspaceSetup;
  readonly setupLog: string;
  readonly dirs: readonly string[];
}

/** Names the job's start and describes what travels; the job's worktree here waits for its commit. */
export async function travellingWorkspace(
  state: RunState,
  job: string,
  place: TravelPlace,
): Promise<TravellingWorkspace> {
  const { root, context } = state;
  const { runId } = context;
  const repo = state.repo;
  if (repo === null) throw new Error('the repository of a pooled run has no identity');
  const named = startRef(runId, job);
  await gitOk(['update-ref', named, place.start], { cwd: root });
  const ref = jobRef(runId, job);
  return {
    repo,
    start: place.start,
    startRef: named,
    jobRef: ref,
    prefix: state.prefix,
    dirs: place.dirs,
    copy: place.setup.copy,
    link: place.setup.link,
    setup: place.setup.setup,
    setupTimeoutSec: place.setup.setupTimeoutSec,
    setupLog: place.setupLog,
    message: `parex: ${job} (run ${runId})`,
    bundle: async (have, file) => {
      const known = await knownCommits(root, have);
      if (known.length > 0) {
        try {
          await createBundle(root, file, named, known);
          return { full: false };
        } catch {
          // e.g. nothing left to send: the full bundle always works
        }
      }
      await createBundle(root, file, named, []);
      return { full: true };
    },
    receive: (commit, file) =>
      serially(root, async () => {
        try {
          if (file === null) {
            if (commit !== place.start)
              return `the job's commit ${commit} came back without a bundle`;
            await gitOk(['update-ref', ref, commit], { cwd: root });
          } else {
            const problem = await verifyBundle(root, file);
            if (problem !== null)
              return `the bundle of the job's commit does not verify: ${problem}`;
            const fetched = await fetchBundle(root, file, ref);
            if (fetched !== commit)
              return `the bundle holds ${fetched}, not the job's commit ${commit}`;
          }
          // An earlier attempt's checkout goes; this attempt's commit is checked out.
          await removeWorktree(root, place.dir);
          await addWorktree(root, place.dir, jobBranch(runId, job), commit);
          return null;
        } catch (error) {
          return `could not take the job's commit back: ${error instanceof Error ? error.message : String(error)}`;
        }
      }),
  };
}
