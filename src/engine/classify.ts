// Turns what happened to a process into the job's outcome and its normalised exit code.
import { constants } from 'node:os';

import type { Outcome } from '../model/outcome.js';
import type { ProcessOutcome } from '../process/run-process.js';

/** Exit code of a job stopped at its deadline by the first signals (GNU timeout's convention). */
export const TIMEOUT_EXIT_CODE = 124;
/** Exit code of a job that needed SIGKILL after the grace (128 + 9). */
export const KILLED_EXIT_CODE = 137;

/** The outcome and exit code that the manifest and the summary report for a process. */
export function classify(process: ProcessOutcome): { outcome: Outcome; exitCode: number } {
  if (process.spawnError !== null) {
    return { outcome: 'spawn_error', exitCode: process.spawnError.code === 'ENOENT' ? 127 : 126 };
  }
  const escalated = process.signalsSent.at(-1) === 'SIGKILL';
  if (process.stopReason === 'timeout') {
    return escalated
      ? { outcome: 'killed', exitCode: KILLED_EXIT_CODE }
      : { outcome: 'timeout', exitCode: TIMEOUT_EXIT_CODE };
  }
  if (process.stopReason === 'budget') {
    return { outcome: 'budget', exitCode: escalated ? KILLED_EXIT_CODE : TIMEOUT_EXIT_CODE };
  }
  if (process.stopReason === 'stall') {
    return { outcome: 'stalled', exitCode: escalated ? KILLED_EXIT_CODE : TIMEOUT_EXIT_CODE };
  }
  const exitCode =
    process.signal !== null ? signalExitCode(process.signal) : (process.exitCode ?? 1);
  if (process.stopReason === 'cancel') return { outcome: 'cancelled', exitCode };
  return { outcome: exitCode === 0 ? 'success' : 'failed', exitCode };
}

/** 128 + the signal's number, as shells report a death by signal. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}
