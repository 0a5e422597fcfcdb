// The usage error for a file parex is about to write that is a link or a special file.
import { UsageError } from '../errors.js';
import { unsafeAt } from './regular-file.js';

/**
 * Throws a UsageError when `file` (described as `what`, e.g. "the manifest") is a symbolic link
 * or a special file; a directory is left to the open, whose error says EISDIR.
 */
export function refuseUnsafeFile(what: string, file: string, fix: string): void {
  const kind = unsafeAt(file);
  if (kind === null || kind === 'a directory') return;
  throw new UsageError(
    `${what}, ${file}, is ${kind}`,
    'parex never writes through a link or into a special file: a link could make it overwrite a file elsewhere, a FIFO would block the run',
    `remove it (rm '${file}'), ${fix}`,
  );
}
