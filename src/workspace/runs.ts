// A run's git refs after it ended: which runs a repository has, and the commit of its result or
// of one job, for `parex apply`, `parex diff` and `parex clean`.

import { rmSync } from 'node:fs';
import { UsageError } from '../errors.js';

import { git, gitOk, gitSync } from './git.js';
import { baseRef, jobRef, resultRef, runRefPrefixes } from './refs.js';

/** The runs with a base snapshot in the repository at `root`, newest first. */
export async function isolatedRuns(root: string): Promise<string[]> {
  const out = await gitOk(
    ['for-each-ref', '--sort=-committerdate', '--format=%(refname)', 'refs/parex/'],
    { cwd: root },
  );
  return out.split('\n').flatMap((ref) => /^refs\/parex\/([^/]+)\/base$/.exec(ref)?.[1] ?? []);
}

/** What a command works on: a run's base and the commit of its result or of one of its jobs. */
export interface RunCommit {
  readonly runId: string;
  readonly base: string;
  readonly commit: string;
  /** "the result of run R" or "job J of run R", for messages. */
  readonly label: string;
}

/** Resolves RUN (default: the newest isolated run) and --job to commits; UsageError if missing. */
export async function runCommit(
  root: string,
  run: string | undefined,
  job: string | undefined,
): Promise<RunCommit> {
  const runs = await isolatedRuns(root);
  const runId = run ?? runs[0];
  if (runId === undefined || !runs.includes(runId)) {
    throw new UsageError(
      run === undefined
        ? `no isolated run in ${root}`
        : `run ${run} has no workspace refs in ${root}`,
      'apply and diff read the refs an isolated run (isolation: worktree, --isolate) leaves under refs/parex/',
      runs.length === 0
        ? 'run with --isolate or isolation: worktree first'
        : `name one of: ${runs.slice(0, 10).join(', ')}`,
    );
  }
  const ref = job === undefined ? resultRef(runId) : jobRef(runId, job);
  const label = job === undefined ? `the result of run ${runId}` : `job ${job} of run ${runId}`;
  const [base, commit] = await Promise.all([resolve(root, baseRef(runId)), resolve(root, ref)]);
  if (base === null || commit === null) {
    throw new UsageError(
      `${label} has no commit (${ref} does not exist)`,
      job === undefined
        ? 'a run has a result only when the work of its successful jobs merges without conflicts'
        : 'only isolated jobs that ran get a commit',
      job === undefined
        ? "see 'parex status' for the conflicts, or apply one job with --job NAME"
        : 'check the job name in parex status',
    );
  }
  return { runId, base, commit, label };
}

async function resolve(root: string, ref: string): Promise<string | null> {
  const result = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: root });
  return result.code === 0 ? result.stdout.trim() : null;
}

/** Removes run `runId`'s worktrees (only those on its parex/ branches), branches and refs;
 * with `dryRun` only counts them. */
export function removeRunWorkspaces(
  root: string,
  runId: string,
  dryRun: boolean,
): { worktrees: number; refs: number } {
  const [refPrefix = '', branchPrefix = ''] = runRefPrefixes(runId);
  const listed = gitSync(['worktree', 'list', '--porcelain', '-z'], root) ?? '';
  let dir: string | null = null;
  let worktrees = 0;
  for (const field of listed.split('\0')) {
    if (field.startsWith('worktree ')) dir = field.slice('worktree '.length);
    if (field.startsWith('branch ') && dir !== null && field.slice(7).startsWith(branchPrefix)) {
      worktrees += 1;
      if (!dryRun && gitSync(['worktree', 'remove', '--force', '--force', dir], root) === null) {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const out = gitSync(['for-each-ref', '--format=%(refname)', refPrefix, branchPrefix], root) ?? '';
  const refs = out
    .split('\n')
    .filter((ref) => ref.startsWith(refPrefix) || ref.startsWith(branchPrefix));
  if (!dryRun && refs.length > 0) {
    gitSync(['update-ref', '--stdin'], root, refs.map((ref) => `delete ${ref}\n`).join(''));
  }
  return { worktrees, refs: refs.length };
}
