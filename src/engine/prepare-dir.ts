// Makes the log directory and opens the manifest: the first writes of a run, after validation.
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';

import { UsageError } from '../errors.js';
import { ManifestRecorder } from '../journal/recorder.js';
import type { GroupPlan } from '../options/normalize.js';

/** Creates the log directory if needed and opens its manifest; a UsageError if either is impossible. */
export function prepareLogDir(plan: GroupPlan): ManifestRecorder {
  const { logDir } = plan;
  try {
    if (existsAsNonDirectory(logDir)) {
      throw new UsageError(
        `the log directory ${logDir} exists and is not a directory`,
        'parex writes one log file per job and the manifest into it',
        'choose another --log-dir, or move that file away',
      );
    }
    mkdirSync(logDir, { recursive: true });
    accessSync(logDir, constants.W_OK);
    return new ManifestRecorder(plan.manifestPath, plan);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const { code, message } = error as NodeJS.ErrnoException;
    throw new UsageError(
      `cannot write to the log directory ${logDir} (${code ?? message})`,
      'every job needs its log file there, and the manifest records the run',
      code === 'EACCES' || code === 'EROFS' || code === 'EPERM'
        ? 'pick a writable --log-dir, or fix the permissions'
        : 'check the path and the disk, or pick another --log-dir',
    );
  }
}

function existsAsNonDirectory(target: string): boolean {
  try {
    return !statSync(target).isDirectory();
  } catch {
    return false;
  }
}
