// An isolated job of a pooled run: its worktree is made on the worker, from its start commit
// sent there as a bundle; its commit comes back as a bundle and is named refs/parex/RUN/job/JOB
// (and its branch) here, so that what follows the job (finish, conflicts, the result, apply)
// is what a local run does, on commits alone. Only a job whose result is read in its directory
// (its evaluation, a judge) has the commit checked out here at once; a failed one, when kept.
import type { TravellingWorkspace } from '../model/workspace.js';
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
  /** True when something reads the job's directory here once it has run. */
  readonly checkout: boolean;
}

/** What travels, and the commit that came back (its last attempt's), once one has. */
export interface Travelling {
  readonly travel: TravellingWorkspace;
  readonly returned: () => string | null;
}

/** Names the job's start and describes what travels; the job's worktree here waits for its commit. */
export async function travellingWorkspace(
  state: RunState,
  job: string,
  place: TravelPlace,
): Promise<Travelling> {
  const { root, context } = state;
  const { runId } = context;
  const repo = state.repo;
  if (repo === null) throw new Error('the repository of a pooled run has no identity');
  const named = startRef(runId, job);
  await gitOk(['update-ref', named, place.start], { cwd: root });
  const ref = jobRef(runId, job);
  let returned: string | null = null;
  const travel: TravellingWorkspace = {
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
          // An earlier attempt's checkout goes; the job's branch names this attempt's commit,
          // checked out only when its directory is read here.
          await removeWorktree(root, place.dir);
          if (place.checkout) await checkOutJob(root, runId, job, place.dir, commit);
          else
            await gitOk(['update-ref', `refs/heads/${jobBranch(runId, job)}`, commit], {
              cwd: root,
            });
          returned = commit;
          return null;
        } catch (error) {
          return `could not take the job's commit back: ${error instanceof Error ? error.message : String(error)}`;
        }
      }),
  };
  return { travel, returned: () => returned };
}

/** Checks out a job's commit in its worktree here, on its branch. */
export function checkOutJob(
  root: string,
  runId: string,
  job: string,
  dir: string,
  commit: string,
): Promise<void> {
  return addWorktree(root, dir, jobBranch(runId, job), commit);
}
