// A job's outcome in plain words: SUCCESS, FAILED (exit 3), TIMEOUT (exceeded 600s), ...
import type { JobResult } from '../model.js';
import { formatSeconds } from './format.js';

const EXIT_HINTS: Readonly<Record<number, string>> = {
  126: 'command not executable',
  127: 'command not found',
};

/** The outcome of a finished job, in the words the progress lines and the summary use. */
export function describeOutcome(result: JobResult): string {
  const ignored = result.signalsSent.slice(0, -1).join(', ');
  const grace = formatSeconds(result.killAfterSec);
  switch (result.outcome) {
    case 'success':
      return 'SUCCESS';
    case 'failed':
      if (result.signal !== null)
        return `FAILED (killed by ${result.signal}, exit ${result.exitCode})`;
      if (result.reason !== null) return `FAILED (${result.reason}; exit ${result.exitCode})`;
      return `FAILED (exit ${result.exitCode}${hint(result.exitCode)})`;
    case 'timeout':
      return `TIMEOUT (exceeded ${formatSeconds(result.timeoutSec)})`;
    case 'killed':
      return `KILLED (SIGKILL after ${grace} grace; ignored ${ignored})`;
    case 'cancelled':
      return result.signalsSent.at(-1) === 'SIGKILL' && ignored !== ''
        ? `CANCELLED (SIGKILL after ${grace} grace; ignored ${ignored})`
        : `CANCELLED (stopped with ${result.signalsSent.join(', ') || 'a signal'})`;
    case 'spawn_error':
      return `SPAWN ERROR (${result.errorMessage ?? 'could not start'})`;
    case 'stalled':
      return result.signalsSent.at(-1) === 'SIGKILL' && ignored !== ''
        ? `STALLED (no output for ${formatSeconds(result.idleTimeoutSec)}; SIGKILL after ${grace} grace; ignored ${ignored})`
        : `STALLED (no output for ${formatSeconds(result.idleTimeoutSec)})`;
    case 'lost':
      return `LOST (${result.reason ?? 'the worker running it is gone'})`;
    case 'skipped':
      return `SKIPPED (${result.reason ?? 'a job it needs did not succeed'})`;
    case 'conflict':
      return `CONFLICT (${result.reason ?? 'the work of the jobs it needs does not merge'})`;
    case 'setup_failed':
      return `SETUP FAILED (${result.reason ?? 'the workspace setup failed'})`;
  }
}

function hint(exitCode: number | null): string {
  if (exitCode === null) return '';
  const text = EXIT_HINTS[exitCode];
  return text === undefined ? '' : `: ${text}`;
}
