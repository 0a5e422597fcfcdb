// The lines parex prints to stderr while a group runs: one when a job starts, one when it ends,
// and on a non-terminal the progress of the whole group with an ETA.
import type { GroupEvent } from '../model/events.js';
import type { StopReason } from '../model/outcome.js';
import { formatBudgetEvent, formatPause } from './budget-words.js';
import { estimateRemainingMs } from './eta.js';
import { displayPath, formatDuration } from './format.js';
import type { LiveState } from './live-types.js';
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
      if (result.outcome === 'budget')
        return `${PREFIX} not started ${result.name} (budget): ${result.reason ?? ''}`;
      // Settled without a process: a judge that chose (success), or a workspace that refused.
      if (result.outcome === 'success')
        return `${PREFIX} judged   ${result.name}: ${result.reason ?? ''}`;
      return `${PREFIX} not run  ${result.name}: ${describeOutcome(result)}`;
    }
    case 'budget':
      return `${PREFIX} ${formatBudgetEvent(event)}`;
    case 'provider-pause':
      return `${PREFIX} ${formatPause(event.provider, event.waitMs, event.reason)}: ${event.name} was rate-limited`;
    case 'job-activity':
    case 'run-end':
    case 'job-usage':
    case 'usage':
      return null;
  }
}

function reasonText(reason: StopReason | 'leftovers'): string {
  if (reason === 'timeout') return 'timeout';
  if (reason === 'stall') return 'no output for too long';
  if (reason === 'cancel') return 'run cancelled';
  if (reason === 'budget') return 'budget reached';
  return 'it exited but left processes behind';
}

/** "[parex] 12/40 done, 8 running, 2 failed, ETA 30s", with cancelled and skipped jobs apart. */
export function groupProgressLine(state: LiveState, now: number): string {
  const { queued, running, succeeded, failed, cancelled, skipped, notStarted } = state.counts;
  const total = state.names.length;
  const done = succeeded + failed + cancelled + skipped;
  const extra = [
    cancelled > 0 ? `, ${cancelled} cancelled` : '',
    skipped > 0 ? `, ${skipped} skipped` : '',
    notStarted > 0 ? `, ${notStarted} not started` : '',
  ].join('');
  const eta = queued + running === 0 ? null : estimateRemainingMs(state, now);
  const etaText =
    queued + running === 0 ? '' : `, ETA ${eta === null ? 'unknown' : formatDuration(eta)}`;
  return `${PREFIX} ${done}/${total} done, ${running} running, ${failed} failed${extra}${etaText}`;
}
