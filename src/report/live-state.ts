// The state the live view and the progress lines draw: every job's place in its life, folded
// from the engine's events. Kept in place (one array, one index), so that a group of 100,000
// jobs costs the same per event as a group of ten.
import type { GroupEvent } from '../model/events.js';
import {
  BUCKETS,
  emptyLiveState,
  KEPT_ENDED,
  type LiveCounts,
  type LiveJob,
  type LiveSpend,
  type LiveState,
} from './live-types.js';

const NO_LIVE_SPEND: LiveSpend = { jobs: {}, run: null, budget: null, pauses: {} };

/** Folds one event into the state, in place, and returns it. */
export function applyEvent(state: LiveState, event: GroupEvent, now: number): LiveState {
  switch (event.type) {
    case 'run-start':
      startRun(state, event, now);
      return state;
    case 'job-start':
      put(state, {
        name: event.name,
        state: 'running',
        pid: event.pid,
        startedAt: event.startedAt.getTime(),
        timeoutSec: event.timeoutSec,
        logPath: event.logPath,
        agent: ['codex', 'claude', 'gemini'].includes(String(event.fields.agent)),
      });
      return state;
    case 'job-signal': {
      const job = find(state, event.name);
      if (job?.state === 'running') put(state, { ...job, state: 'stopping' });
      return state;
    }
    case 'job-activity':
    case 'job-usage': {
      const job = find(state, event.name);
      if (job === undefined || (job.state !== 'running' && job.state !== 'stopping')) return state;
      put(
        state,
        event.type === 'job-activity'
          ? { ...job, activity: event.text }
          : { ...job, usage: event.usage },
      );
      return state;
    }
    case 'job-end':
    case 'job-skip': {
      const { result } = event;
      put(state, { name: result.name, state: 'done', result });
      if (result.pid !== null) {
        state.finishedMs += result.durationMs;
        state.finishedCount += 1;
      }
      // Skipped jobs are named among the successes, whose rows go first (the frame tells them apart).
      const failed = result.outcome !== 'success' && result.outcome !== 'skipped';
      keepLatest(state, failed ? state.failures : state.successes, result.name);
      return state;
    }
    case 'usage': {
      const spend = state.spend ?? NO_LIVE_SPEND;
      state.spend = { ...spend, jobs: { ...spend.jobs, [event.name]: event.job }, run: event.run };
      return state;
    }
    case 'budget':
      state.spend = { ...(state.spend ?? NO_LIVE_SPEND), budget: event };
      return state;
    case 'provider-pause': {
      const spend = state.spend ?? NO_LIVE_SPEND;
      const pause = { until: event.until.getTime(), reason: event.reason };
      state.spend = { ...spend, pauses: { ...spend.pauses, [event.provider]: pause } };
      return state;
    }
    case 'run-end':
      for (const name of event.result.notStarted) {
        if (find(state, name)?.state === 'queued') put(state, { name, state: 'not_started' });
      }
      return state;
    default:
      return state;
  }
}

/** The job called `name`, if the state knows it (an ended job only among the latest). */
export function find(state: LiveState, name: string): LiveJob | undefined {
  const at = state.names.indexOf(name);
  return at === undefined ? undefined : jobAt(state, at);
}

/** Job number `at`: its row, or a queued or not-started one; undefined for an ended job whose
 * row was let go. */
export function jobAt(state: LiveState, at: number): LiveJob | undefined {
  const row = state.rows.get(at);
  if (row !== undefined) return row;
  const name = state.names.at(at);
  const bucket = BUCKETS[state.buckets[at] ?? 0];
  if (bucket === 'queued') return { name, state: 'queued' };
  if (bucket === 'notStarted') return { name, state: 'not_started' };
  return undefined;
}

/** The needs of a queued job that have not succeeded yet; empty when it only waits for a slot. */
export function pendingNeeds(state: LiveState, name: string): string[] {
  const needs = state.needs.get(name) ?? [];
  return needs.filter((need) => {
    const at = state.names.indexOf(need);
    return at === undefined || BUCKETS[state.buckets[at] ?? 0] !== 'succeeded';
  });
}

/** The running and stopping jobs, in the order given. */
export function runningJobs(state: LiveState): LiveJob[] {
  const running: LiveJob[] = [];
  for (const job of state.rows.values()) {
    if (job.state === 'running' || job.state === 'stopping') running.push(job);
  }
  const at = (job: LiveJob) => state.names.indexOf(job.name) ?? 0;
  return running.sort((a, b) => at(a) - at(b));
}

/** The counts' bucket for a job. */
export function bucketOf(job: LiveJob): keyof LiveCounts {
  if (job.state === 'queued') return 'queued';
  if (job.state === 'not_started') return 'notStarted';
  if (job.state !== 'done') return 'running';
  const { outcome } = job.result;
  if (outcome === 'success') return 'succeeded';
  if (outcome === 'cancelled') return 'cancelled';
  if (outcome === 'skipped') return 'skipped';
  return 'failed';
}

function startRun(
  state: LiveState,
  event: Extract<GroupEvent, { type: 'run-start' }>,
  now: number,
): void {
  // A new group (a regeneration of prp generate) starts from nothing.
  Object.assign(state, emptyLiveState());
  state.runId = event.runId;
  state.logDir = event.logDir;
  state.startedAt = now;
  state.concurrency = event.concurrency;
  for (const [name, needs] of Object.entries(event.needs ?? {})) {
    if (needs.length > 0) state.needs.set(name, needs);
  }
  state.buckets = new Uint8Array(event.names.length);
  for (const name of event.names) {
    if (state.names.indexOf(name) !== undefined) continue;
    put(state, { name, state: 'queued' });
    state.nameWidth = Math.max(state.nameWidth, Math.min(24, name.length));
  }
}

function put(state: LiveState, job: LiveJob): void {
  let at = state.names.indexOf(job.name);
  if (at === undefined) {
    at = state.names.add(job.name);
    if (at >= state.buckets.length) {
      const grown = new Uint8Array(Math.max(16, 2 * state.buckets.length));
      grown.set(state.buckets);
      state.buckets = grown;
    }
  } else {
    state.counts[BUCKETS[state.buckets[at] ?? 0] ?? 'queued'] -= 1;
  }
  const bucket = bucketOf(job);
  state.buckets[at] = BUCKETS.indexOf(bucket);
  state.counts[bucket] += 1;
  if (job.state === 'queued' || job.state === 'not_started') state.rows.delete(at);
  else state.rows.set(at, job);
}

/** Adds an ended job to `latest`; past twice KEPT_ENDED names, the oldest half go, and with
 * them the rows of those jobs (never the row of a job that runs again). */
function keepLatest(state: LiveState, latest: string[], name: string): void {
  latest.push(name);
  if (latest.length <= 2 * KEPT_ENDED) return;
  for (const old of latest.splice(0, latest.length - KEPT_ENDED)) {
    const at = state.names.indexOf(old);
    if (at !== undefined && state.rows.get(at)?.state === 'done') state.rows.delete(at);
  }
}
