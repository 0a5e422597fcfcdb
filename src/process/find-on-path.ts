// Looking a program up on PATH, as a shell would, without running anything.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** Finds `name` on PATH as an executable file; null when it is not there. */
export function findOnPath(
  name: string,
  searchPath: string = process.env.PATH ?? '',
): string | null {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      if (statSync(candidate).isFile()) {
        accessSync(candidate, constants.X_OK);
        return candidate;
      }
    } catch {
      // Not here.
    }
  }
  return null;
}
