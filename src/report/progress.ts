// The lines parex prints to stderr while a group runs: one when a job starts, one when it ends.
import type { GroupEvent, StopReason } from '../model.js';
import { displayPath, formatDuration } from './format.js';
import { describeOutcome } from './outcome-words.js';

const PREFIX = '[parex]';

/** The progress line for an event, or null for events that print nothing. */
export function progressLine(event: GroupEvent): string | null {
  switch (event.type) {
    case 'run-start':
      return `${PREFIX} run ${event.runId}: ${event.jobs} job${event.jobs === 1 ? '' : 's'}, ${event.concurrency} at a time, logs in ${displayPath(event.logDir)}`;
    case 'job-start':
      return `${PREFIX} started  ${event.name} (pid ${event.pid})`;
    case 'job-signal':
      return `${PREFIX} stopping ${event.name} (pid ${event.pid}): ${reasonText(event.reason)}, ${event.signal} to its process group`;
    case 'job-end': {
      const { result } = event;
      const pid = result.pid === null ? 'not started' : `pid ${result.pid}`;
      return `${PREFIX} finished ${result.name} (${pid}): ${describeOutcome(result)} in ${formatDuration(result.durationMs)}`;
    }
    case 'job-skip': {
      const { result } = event;
      if (result.outcome === 'skipped')
        return `${PREFIX} skipped  ${result.name}: ${result.reason ?? ''}`;
      // Settled without a process: a judge that chose (success), or a workspace that refused.
      if (result.outcome === 'success')
        return `${PREFIX} judged   ${result.name}: ${result.reason ?? ''}`;
      return `${PREFIX} not run  ${result.name}: ${describeOutcome(result)}`;
    }
    case 'run-end':
      return null;
  }
}

function reasonText(reason: StopReason | 'leftovers'): string {
  if (reason === 'timeout') return 'timeout';
  if (reason === 'stall') return 'no output for too long';
  if (reason === 'cancel') return 'run cancelled';
  return 'it exited but left processes behind';
}
