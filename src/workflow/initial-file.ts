// The initial file as the run names it: a path inside the project is made relative to it (the
// same run whether typed absolute or relative, and one a pool's worker finds in its copy); one
// outside the project is refused for a pooled run, whose workers have only the project.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

import { UsageError } from '../errors.js';

/** `initial` relative to `cwd` when it lies inside it (else as typed); a UsageError when it does
 * not exist, or lies outside the project in a `pooled` run. */
export function projectInitial(initial: string, cwd: string, pooled: boolean): string {
  const full = path.resolve(cwd, initial);
  if (!existsSync(full)) {
    throw new UsageError(
      `the initial file ${initial} does not exist`,
      'the workflow reads the feature request from it (INITIAL_MD_PATH)',
      'check the path, e.g. prps/INITIAL_user_auth.md',
    );
  }
  // Real paths on both sides: a project reached through a symbolic link still contains it.
  const relative = path.relative(realpathSync(cwd), realpathSync(full));
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  if (inside) return relative.split(path.sep).join('/');
  if (!pooled) return initial;
  throw new UsageError(
    `the initial file ${initial} is outside the project (${cwd})`,
    "with --redis the phases run on a pool's workers, which have the project's files only (the file is sent along as a declared input, relative to the project)",
    `copy it into the project, e.g. cp ${initial} ${path.join(cwd, 'prps', path.basename(initial))}, and pass that path`,
  );
}
