// A job's outcome in plain words: SUCCESS, FAILED (exit 3), TIMEOUT (exceeded 600s), ...
import type { JobResult } from '../model/result.js';
import { formatSeconds } from './format.js';

const EXIT_HINTS: Readonly<Record<number, string>> = {
  126: 'command not executable',
  127: 'command not found',
};

/** Below the grace by more than this, SIGKILL came early: parex was told to kill at once. */
const EARLY_KILL_SLACK_MS = 20;

/** The outcome of a finished job, in the words the progress lines and the summary use. */
export function describeOutcome(result: JobResult): string {
  const killed = result.signalsSent.at(-1) === 'SIGKILL' && result.signalsSent.length > 1;
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
      return `KILLED (${killWords(result)})`;
    case 'cancelled':
      return killed
        ? `CANCELLED (${killWords(result)})`
        : `CANCELLED (stopped with ${result.signalsSent.join(', ') || 'a signal'})`;
    case 'spawn_error':
      return `SPAWN ERROR (${result.errorMessage ?? 'could not start'})`;
    case 'stalled':
      return killed
        ? `STALLED (no output for ${formatSeconds(result.idleTimeoutSec)}; ${killWords(result)})`
        : `STALLED (no output for ${formatSeconds(result.idleTimeoutSec)})`;
    case 'lost':
      return `LOST (${result.reason ?? 'the worker running it is gone'})`;
    case 'skipped':
      return `SKIPPED (${result.reason ?? 'a job it needs did not succeed'})`;
    case 'budget':
      return `BUDGET (${result.pid === null ? 'not started' : 'stopped'}: ${result.reason ?? 'the budget was spent'})`;
    case 'conflict':
      return `CONFLICT (${result.reason ?? 'the work of the jobs it needs does not merge'})`;
    case 'setup_failed':
      return `SETUP FAILED (${result.reason ?? 'the workspace setup failed'})`;
  }
}

/** How SIGKILL came, with the time parex actually waited: the full grace (the job ignored the
 * signals before), no grace at all (--kill-after 0), or less (told to kill at once). */
function killWords(result: JobResult): string {
  const before = result.signalsSent.slice(0, -1).join(', ');
  const graceMs = result.killAfterSec * 1000;
  const waited = result.killedAfterMs ?? null;
  if (graceMs === 0) return `SIGKILL right after ${before} (--kill-after 0)`;
  if (waited === null || waited >= graceMs - EARLY_KILL_SLACK_MS) {
    return `SIGKILL after ${formatSeconds(result.killAfterSec)} grace; ignored ${before}`;
  }
  return `SIGKILL after ${formatSeconds(Math.round(waited / 100) / 10)} of the ${formatSeconds(result.killAfterSec)} grace, told to kill at once; still running after ${before}`;
}

function hint(exitCode: number | null): string {
  if (exitCode === null) return '';
  const text = EXIT_HINTS[exitCode];
  return text === undefined ? '' : `: ${text}`;
}
