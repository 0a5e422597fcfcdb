// Path containment: every path built from a name must stay inside its root directory.
import path from 'node:path';

import { UsageError } from '../errors.js';

/** Joins `parts` onto `root` and throws a UsageError if the result is not inside `root`. */
export function resolveInside(root: string, ...parts: string[]): string {
  const absoluteRoot = path.resolve(root);
  const target = path.resolve(absoluteRoot, ...parts);
  const relative = path.relative(absoluteRoot, target);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new UsageError(
      `the path ${JSON.stringify(path.join(root, ...parts))} is not inside ${JSON.stringify(root)}`,
      'every file parex writes for a name must stay inside its root directory',
      'use a name made only of letters, digits, "_" and "-"',
    );
  }
  return target;
}
