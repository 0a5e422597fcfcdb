// A worker's --workdir: checked with the other flags without writing anything, and made only
// once Redis has answered, so that a worker that cannot start leaves nothing behind.
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

import { UsageError } from '../errors.js';

/** The absolute workdir, checked without writing: an existing writable directory, or missing
 * under one (the nearest existing parent) where it can be made; a UsageError when not. */
export function checkWorkdir(dir: string | undefined): string {
  const full = path.resolve(dir ?? '.');
  let missing = false;
  for (let at = full; ; at = path.dirname(at)) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(at).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && path.dirname(at) !== at) {
        missing = true;
        continue;
      }
      throw unusable(full, code === 'ENOTDIR' ? 'ENOTDIR' : code, error);
    }
    if (!isDirectory) throw unusable(full, missing ? 'ENOTDIR' : 'EEXIST', null);
    try {
      accessSync(at, constants.W_OK | constants.X_OK);
    } catch (error) {
      throw unusable(full, (error as NodeJS.ErrnoException).code, error);
    }
    return full;
  }
}

/** Makes the checked workdir (after Redis answered); the same UsageError when that fails. */
export function makeWorkdir(full: string): void {
  try {
    mkdirSync(full, { recursive: true });
    accessSync(full, constants.W_OK);
  } catch (error) {
    throw unusable(full, (error as NodeJS.ErrnoException).code, error);
  }
}

function unusable(full: string, code: string | undefined, error: unknown): UsageError {
  const what =
    code === 'EEXIST' || code === 'ENOTDIR'
      ? 'is not a directory (a file is there, or on its path)'
      : `cannot be used (${code ?? String(error)})`;
  return new UsageError(
    `--workdir ${full} ${what}`,
    'jobs run there, and the worker keeps its copies of their logs there',
    'give a writable directory (it is made when missing)',
  );
}
