// What `parex apply`, `parex diff` and `--apply` do, in git terms.
import path from 'node:path';

import { DEFAULTS } from '../options/defaults.js';
import { applyCommit } from './apply.js';
import { checkRepository, ownPaths } from './check.js';
import { gitToTerminal } from './git.js';
import { runCommit } from './runs.js';

/** The outcome of `parex apply`: lines to print and whether it applied. */
export interface ApplyReport {
  readonly ok: boolean;
  readonly lines: readonly string[];
}

/** Applies run `run`'s result (or job `job`'s commit) to the working tree holding `cwd`. */
export async function applyRun(
  cwd: string,
  run: string | undefined,
  job: string | undefined,
): Promise<ApplyReport> {
  const root = checkRepository(cwd, 'parex apply');
  const target = await runCommit(root, run, job);
  const exclude = ownPaths(root, [path.resolve(cwd, path.dirname(DEFAULTS.runsDir))]);
  const outcome = await applyCommit(root, target.base, target.commit, exclude);
  if (!outcome.ok) {
    return {
      ok: false,
      lines: [
        `parex: did not apply ${target.label}: ${outcome.reason}`,
        '  nothing was changed',
        `  fix: commit or undo your changes to ${outcome.files.join(', ')} and run it again, or look at it with 'parex diff ${target.runId}${job === undefined ? '' : ` --job ${job}`}'`,
      ],
    };
  }
  if (outcome.files.length === 0)
    return { ok: true, lines: [`parex: ${target.label} changes nothing in your working tree`] };
  return {
    ok: true,
    lines: [
      `parex: applied ${target.label} to your working tree (${outcome.files.length} file${outcome.files.length === 1 ? '' : 's'}, not staged):`,
      ...outcome.files.map((file) => `  ${file}`),
    ],
  };
}

/** Prints the changes of run `run`'s result (or of job `job`) against its base; git's exit code. */
export async function diffRun(
  cwd: string,
  run: string | undefined,
  job: string | undefined,
  stat: boolean,
): Promise<number> {
  const root = checkRepository(cwd, 'parex diff');
  const target = await runCommit(root, run, job);
  return gitToTerminal(['diff', ...(stat ? ['--stat'] : []), target.base, target.commit], root);
}
