// Making a directory and its parents one component at a time: each component is checked before
// the next, so a path through a file, or into /proc or /sys, fails at once with the component
// named (Node's recursive mkdir loops forever on /proc/nope).
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

import { pseudoFileSystem } from './pseudo-fs.js';

/** Why a directory could not be made: the component at fault and what is wrong with it. */
export class DirectoryError extends Error {
  constructor(
    readonly component: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}

/** Makes `target` and any missing parent; throws a DirectoryError naming the component at fault. */
export function makeDirectories(target: string): void {
  const absolute = path.resolve(target);
  const { root } = path.parse(absolute);
  let current = root;
  for (const part of absolute.slice(root.length).split(path.sep)) {
    if (part === '') continue;
    const parent = current;
    current = path.join(current, part);
    if (isDirectory(current)) continue;
    refusePseudo(parent, current, 'no directory can be made');
    try {
      mkdirSync(current);
    } catch (error) {
      const { code = 'EIO', message } = error as NodeJS.ErrnoException;
      if (code === 'EEXIST' && isDirectory(current)) continue;
      const what = code === 'EEXIST' ? `${current} exists and is not a directory` : message;
      throw new DirectoryError(current, code === 'EEXIST' ? 'ENOTDIR' : code, what);
    }
  }
  refusePseudo(absolute, absolute, 'no file can be written');
}

/** Throws when `directory` is on a kernel file system; `component` is named as the culprit. */
function refusePseudo(directory: string, component: string, what: string): void {
  const system = pseudoFileSystem(directory);
  if (system === null) return;
  throw new DirectoryError(
    component,
    'EPSEUDOFS',
    `${directory} is on the kernel's ${system} file system, where ${what}`,
  );
}

function isDirectory(target: string): boolean {
  try {
    return statSync(target).isDirectory();
  } catch {
    return false;
  }
}
