// The state the live view and the progress lines draw: every job's place in its life, folded
// from the engine's events. Kept in place (one array, one index), so that a group of 100,000
// jobs costs the same per event as a group of ten.
import type { GroupEvent, JobResult, Spend, TokenUsage } from '../model.js';

/** One job as the live view knows it. */
export type LiveJob =
  | { readonly name: string; readonly state: 'queued' }
  | { readonly name: string; readonly state: 'not_started' }
  | {
      readonly name: string;
      readonly state: 'running' | 'stopping';
      readonly pid: number;
      readonly startedAt: number;
      readonly timeoutSec: number;
      readonly logPath: string;
      /** An agent job (its log is a JSON event stream, never shown raw). */
      readonly agent?: boolean;
      /** An agent's latest activity in words, and its tokens so far (job-activity, job-usage). */
      readonly activity?: string;
      readonly usage?: TokenUsage;
    }
  | { readonly name: string; readonly state: 'done'; readonly result: JobResult };

/** How many jobs are in each part of their life; a cancelled job is not a failed one. */
export interface LiveCounts {
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  skipped: number;
  notStarted: number;
}

/** Everything on screen. `applyEvent` changes it in place. */
export interface LiveState {
  runId: string;
  logDir: string;
  startedAt: number;
  /** Jobs at once; 0 = all. */
  concurrency: number;
  readonly jobs: LiveJob[];
  readonly index: Map<string, number>;
  /** The jobs each job needs, for those that need any. */
  readonly needs: Map<string, readonly string[]>;
  /** Names of the jobs that ended without success (not skipped), in the order they ended. */
  readonly failures: string[];
  /** Names of the jobs that succeeded, in the order they ended. */
  readonly successes: string[];
  readonly counts: LiveCounts;
  /** The durations of the jobs that ran to an end, for the ETA. */
  finishedMs: number;
  finishedCount: number;
  /** The widest job name, in characters. */
  nameWidth: number;
  /** What the agent jobs and the run have spent so far (from `usage` events). */
  spend?: LiveSpend;
}

/** The spend part of the live view. */
export interface LiveSpend {
  readonly jobs: Readonly<Record<string, Spend>>;
  readonly run: Spend | null;
  /** The last budget event, in words. */
  readonly budget: Extract<GroupEvent, { type: 'budget' }> | null;
  /** Providers paused after a rate limit: until when (epoch ms), and why. */
  readonly pauses: Readonly<Record<string, { readonly until: number; readonly reason: string }>>;
}

/** The state before the first event. */
export function emptyLiveState(): LiveState {
  return {
    runId: '',
    logDir: '',
    startedAt: 0,
    concurrency: 0,
    jobs: [],
    index: new Map(),
    needs: new Map(),
    failures: [],
    successes: [],
    counts: emptyCounts(),
    finishedMs: 0,
    finishedCount: 0,
    nameWidth: 4,
  };
}

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
      if (result.outcome === 'success') state.successes.push(result.name);
      else if (result.outcome !== 'skipped') state.failures.push(result.name);
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

/** The job called `name`, if the state knows it. */
export function find(state: LiveState, name: string): LiveJob | undefined {
  const at = state.index.get(name);
  return at === undefined ? undefined : state.jobs[at];
}

/** The needs of a queued job that have not succeeded yet; empty when it only waits for a slot. */
export function pendingNeeds(state: LiveState, name: string): string[] {
  const needs = state.needs.get(name) ?? [];
  return needs.filter((need) => {
    const job = find(state, need);
    return !(job?.state === 'done' && job.result.outcome === 'success');
  });
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
  for (const name of event.names) {
    if (state.index.has(name)) continue;
    put(state, { name, state: 'queued' });
    state.nameWidth = Math.max(state.nameWidth, Math.min(24, name.length));
  }
}

function put(state: LiveState, job: LiveJob): void {
  const at = state.index.get(job.name);
  if (at === undefined) {
    state.index.set(job.name, state.jobs.length);
    state.jobs.push(job);
  } else {
    const before = state.jobs[at] as LiveJob;
    state.counts[bucketOf(before)] -= 1;
    state.jobs[at] = job;
  }
  state.counts[bucketOf(job)] += 1;
}

function emptyCounts(): LiveCounts {
  return {
    queued: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
    cancelled: 0,
    skipped: 0,
    notStarted: 0,
  };
}
