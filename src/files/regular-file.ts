// Opening the files parex writes in directories that others may have prepared (a repository's
// log directory, a shared runs directory): never through a symbolic link, never into a FIFO,
// a device, a socket or a file with other hard links. O_NOFOLLOW refuses a link at open;
// O_NONBLOCK makes a FIFO fail or open at once instead of blocking; fstat then checks the rest.
import {
  closeSync,
  constants,
  fstatSync,
  ftruncateSync,
  lstatSync,
  openSync,
  type Stats,
} from 'node:fs';

/** How a file is opened: emptied for writing, appended to, or only read. */
export type RegularMode = 'truncate' | 'append' | 'read';

const FLAGS: Readonly<Record<RegularMode, number>> = {
  truncate: constants.O_WRONLY | constants.O_CREAT,
  append: constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND,
  read: constants.O_RDONLY,
};

/** The flags every open of a file parex writes gets, for the fork server to use the same. */
export const SAFE_OPEN_FLAGS = constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** The open flags of `mode` with the safe ones, e.g. for the fork server. */
export function regularOpenFlags(mode: RegularMode): number {
  return FLAGS[mode] | SAFE_OPEN_FLAGS;
}

/** An error for a path that is not a plain regular file; `code` is an errno or ENOTREG. */
export type UnsafeFileError = NodeJS.ErrnoException & { readonly unsafe: string };

/**
 * Opens `file` as a regular file of one link (emptied first for 'truncate'); throws an
 * UnsafeFileError naming what is there instead, or the open's own error.
 */
export function openRegular(file: string, mode: RegularMode): number {
  let fd: number;
  try {
    fd = openSync(file, regularOpenFlags(mode), 0o666);
  } catch (error) {
    throw explainOpenError(file, error as NodeJS.ErrnoException);
  }
  try {
    const stats = fstatSync(fd);
    const kind = unsafeKind(stats, mode);
    if (kind !== null) throw unsafeError(file, kind, 'ENOTREG');
    // An empty file is left as it is: on ext4 a truncate to 0 makes the file's close start
    // writing it all out (auto_da_alloc), and the manifest's next fdatasync waits behind that.
    if (mode === 'truncate' && stats.size > 0) ftruncateSync(fd, 0);
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** What is at `file` if parex must not write there ("a symbolic link", "a FIFO", ...); null
 * when nothing is there or a plain regular file. */
export function unsafeAt(file: string): string | null {
  let stats: Stats;
  try {
    stats = lstatSync(file);
  } catch {
    return null;
  }
  return stats.isSymbolicLink() ? 'a symbolic link' : unsafeKind(stats, 'append');
}

/** True for an error from openRegular (or an open of the fork server) that says what is there. */
export function isUnsafeFileError(error: unknown): error is UnsafeFileError {
  return error instanceof Error && typeof (error as Partial<UnsafeFileError>).unsafe === 'string';
}

function unsafeKind(stats: Stats, mode: RegularMode): string | null {
  if (stats.isFile())
    return mode !== 'read' && stats.nlink > 1 ? 'a file with other hard links' : null;
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** Turns ELOOP (a link under O_NOFOLLOW) and ENXIO (a FIFO without a reader) into an
 * UnsafeFileError that says what is there; other errors (EISDIR too) are returned as they are. */
export function explainOpenError(
  file: string,
  error: NodeJS.ErrnoException,
): NodeJS.ErrnoException {
  const code = error.code ?? '';
  if (!['ELOOP', 'ENXIO', 'ENOTREG'].includes(code)) return error;
  return unsafeError(
    file,
    unsafeAt(file) ?? (code === 'ELOOP' ? 'a symbolic link' : 'not a regular file'),
    code,
  );
}

/** The error for `file`, which is `kind` (or whatever lstat finds there) and not writable. */
export function unsafeFileError(file: string, kind: string, code: string): UnsafeFileError {
  return unsafeError(file, unsafeAt(file) ?? kind, code);
}

function unsafeError(file: string, kind: string, code: string): UnsafeFileError {
  return Object.assign(new Error(`${file} is ${kind}`), {
    code,
    path: file,
    syscall: 'open',
    unsafe: kind,
  });
}
