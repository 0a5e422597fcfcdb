// The exit statuses of the parex command, documented under EXIT STATUS in docs/cli.md.
import { signalExitCode } from '../engine/classify.js';
import type { GroupResult } from '../model/result.js';

/** Every job succeeded (or the command did what it was asked). */
export const EXIT_OK = 0;
/** At least one job failed, timed out or was killed; or a check did not pass. */
export const EXIT_FAILED = 1;
/** A usage or validation error: nothing was spawned and nothing was written. */
export const EXIT_USAGE = 2;

/** The exit status for a finished group: 0, 1, or 128+n when parex itself was stopped by signal n.
 * An isolated run whose jobs' work conflicts (it has no result) fails too. */
export function groupExitCode(result: GroupResult): number {
  if (result.cancelledBy !== null) return signalExitCode(result.cancelledBy);
  const merged = result.workspace === undefined || result.workspace.result !== null;
  return result.ok && merged ? EXIT_OK : EXIT_FAILED;
}
