// The files that travel with a job that is not isolated: its declared inputs go to the worker,
// its declared outputs come back, each way at most FILES_LIMIT_BYTES, always inside the job's
// directory on either side.
import {
  closeSync,
  fchmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

import { openRegular } from '../files/regular-file.js';

import type { FilePayload } from './protocol.js';

/** The most bytes of files sent to or brought back from one job. */
export const FILES_LIMIT_BYTES = 32 * 1024 * 1024;

/** The files under `paths` (files, or directories whole) relative to `root`, or why they cannot go. */
export function packFiles(
  root: string,
  paths: readonly string[],
  what: 'input' | 'output',
): { files: FilePayload[] } | { error: string } {
  const files: FilePayload[] = [];
  let total = 0;
  const add = (relative: string): string | null => {
    const full = inside(root, relative);
    if (full === null) return `${what} ${relative} is outside the job's directory`;
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(full);
    } catch {
      return what === 'input' ? `input ${relative} does not exist` : null;
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(full)) {
        const problem = add(path.join(relative, entry));
        if (problem !== null) return problem;
      }
      return null;
    }
    total += stat.size;
    if (total > FILES_LIMIT_BYTES) {
      return `the ${what}s are larger than ${FILES_LIMIT_BYTES / 1024 / 1024} MiB (at ${relative}); a pool job carries at most that many bytes of declared ${what}s each way`;
    }
    files.push({
      path: relative,
      mode: stat.mode & 0o777,
      data: readFileSync(full).toString('base64'),
    });
    return null;
  };
  for (const relative of paths) {
    const problem = add(relative);
    if (problem !== null) return { error: problem };
  }
  return { files };
}

/** Writes files under `root`; a file that would land outside it is refused with a message. */
export function unpackFiles(root: string, files: readonly FilePayload[]): string | null {
  for (const file of files) {
    const full = inside(root, file.path);
    if (full === null) return `file ${file.path} would be written outside ${root}`;
    mkdirSync(path.dirname(full), { recursive: true });
    // As every file parex writes: never through a planted link, into a FIFO or a hard link.
    let fd: number;
    try {
      fd = openRegular(full, 'truncate');
    } catch (error) {
      return `file ${file.path} could not be written: ${(error as Error).message}`;
    }
    try {
      const data = Buffer.from(file.data, 'base64');
      for (let at = 0; at < data.length; ) at += writeSync(fd, data, at);
      fchmodSync(fd, file.mode);
    } catch (error) {
      return `file ${file.path} could not be written: ${(error as Error).message}`;
    } finally {
      closeSync(fd);
    }
  }
  return null;
}

/** `relative` resolved under `root`, or null when it leaves it. */
export function inside(root: string, relative: string): string | null {
  const full = path.resolve(root, relative);
  const back = path.relative(root, full);
  return back.startsWith('..') || path.isAbsolute(back) ? null : full;
}
