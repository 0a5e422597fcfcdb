// Makes the log directory and opens the manifest: the first writes of a run, after validation.
// Every file parex will write there (the manifest, the lock, each job's logs) is checked first:
// a symbolic link or a special file in its place is a usage error before anything is spawned.
import { accessSync, constants, statSync } from 'node:fs';

import { UsageError } from '../errors.js';
import { DirectoryError, makeDirectories } from '../files/make-dirs.js';
import { refuseUnsafeFile } from '../files/refuse-unsafe.js';
import { ManifestRecorder } from '../journal/recorder.js';
import type { GroupPlan } from '../options/normalize.js';
import { attemptLogPath } from './attempts.js';
import { type LogDirLock, lockFilePath, lockLogDir } from './lock.js';

/** The log directory, ready: locked for this run, its manifest open. */
export interface PreparedLogDir {
  readonly recorder: ManifestRecorder;
  /** Flushes and closes the manifest and releases the lock; never throws (failures are told
   * to the `onFailure` given to prepareLogDir). */
  close(): Promise<void>;
}

/**
 * Creates the log directory, checks the files to be written there, locks it and opens its
 * manifest; a UsageError if any is impossible. `onFailure` hears of every later failed write.
 */
export function prepareLogDir(
  plan: GroupPlan,
  onFailure: (message: string) => void,
): PreparedLogDir {
  makeLogDir(plan);
  refuseUnsafeFiles(plan);
  const lock = takeLock(plan);
  try {
    const recorder = new ManifestRecorder(plan.manifestPath, plan, plan.redact, onFailure);
    return {
      recorder,
      close: async () => {
        await recorder.close();
        try {
          lock.release();
        } catch (error) {
          onFailure(`could not remove the lock ${lockFilePath(plan.logDir)} (${String(error)})`);
        }
      },
    };
  } catch (error) {
    lock.release();
    if (error instanceof UsageError) throw error;
    throw unwritable(plan.logDir, error as NodeJS.ErrnoException);
  }
}

/** Every file of the run in the log directory, with what it is for the user (one at a time:
 * 100,000 jobs need no list of 200,000 paths). */
function* filesOfRun(plan: GroupPlan): Generator<[string, string]> {
  yield ['the manifest', plan.manifestPath];
  yield ['the lock file', lockFilePath(plan.logDir)];
  for (let index = 0; index < plan.jobs.length; index += 1) {
    const job = plan.jobs.at(index);
    for (let retry = 0; retry <= plan.retries; retry += 1)
      yield [`the log of ${job.name}`, attemptLogPath(job, plan, retry)];
  }
}

function refuseUnsafeFiles(plan: GroupPlan): void {
  for (const [what, file] of filesOfRun(plan))
    refuseUnsafeFile(what, file, 'or choose another --log-dir');
}

function takeLock(plan: GroupPlan): LogDirLock {
  try {
    return lockLogDir(plan.logDir, plan.runId, plan.force, plan.onWarning);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw unwritable(plan.logDir, error as NodeJS.ErrnoException);
  }
}

function makeLogDir(plan: GroupPlan): void {
  const { logDir } = plan;
  try {
    if (existsAsNonDirectory(logDir)) {
      throw new UsageError(
        `the log directory ${logDir} exists and is not a directory`,
        'parex writes one log file per job and the manifest into it',
        'choose another --log-dir, or move that file away',
      );
    }
    makeDirectories(logDir);
    accessSync(logDir, constants.W_OK);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof DirectoryError) {
      throw error.code === 'EPSEUDOFS'
        ? directoryProblem(logDir, error)
        : unwritable(logDir, { name: error.name, code: error.code, message: error.message });
    }
    throw unwritable(logDir, error as NodeJS.ErrnoException);
  }
}

function directoryProblem(logDir: string, error: DirectoryError): UsageError {
  return new UsageError(
    `cannot make the log directory ${logDir}: ${error.message}`,
    'every job needs its log file there, and the manifest records the run',
    'choose a --log-dir on a real file system, e.g. under the project or /tmp',
  );
}

function unwritable(logDir: string, { code, message }: NodeJS.ErrnoException): UsageError {
  return new UsageError(
    `cannot write to the log directory ${logDir} (${code ?? message})`,
    'every job needs its log file there, and the manifest records the run',
    code === 'EACCES' || code === 'EROFS' || code === 'EPERM'
      ? 'pick a writable --log-dir, or fix the permissions'
      : 'check the path and the disk, or pick another --log-dir',
  );
}

function existsAsNonDirectory(target: string): boolean {
  try {
    return !statSync(target).isDirectory();
  } catch {
    return false;
  }
}
