// The state the live view draws: every job's place in its life, folded from the engine's events.
import type { GroupEvent, JobResult, TokenUsage } from '../model.js';

/** One job as the live view knows it. */
export type LiveJob =
  | { readonly name: string; readonly state: 'queued' }
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

/** Everything on screen. */
export interface LiveState {
  readonly runId: string;
  readonly startedAt: number;
  readonly jobs: readonly LiveJob[];
}

/** The state before the first event. */
export const EMPTY_LIVE_STATE: LiveState = { runId: '', startedAt: 0, jobs: [] };

/** Folds one event into the state. */
export function applyEvent(state: LiveState, event: GroupEvent, now: number): LiveState {
  switch (event.type) {
    case 'run-start':
      return {
        runId: event.runId,
        startedAt: now,
        jobs: event.names.map((name) => ({ name, state: 'queued' })),
      };
    case 'job-start':
      return replace(state, {
        name: event.name,
        state: 'running',
        pid: event.pid,
        startedAt: event.startedAt.getTime(),
        timeoutSec: event.timeoutSec,
        logPath: event.logPath,
        agent: ['codex', 'claude', 'gemini'].includes(String(event.fields.agent)),
      });
    case 'job-signal': {
      const job = state.jobs.find((candidate) => candidate.name === event.name);
      return job?.state === 'running' ? replace(state, { ...job, state: 'stopping' }) : state;
    }
    case 'job-activity':
    case 'job-usage': {
      const job = state.jobs.find((candidate) => candidate.name === event.name);
      if (job === undefined || (job.state !== 'running' && job.state !== 'stopping')) return state;
      return replace(
        state,
        event.type === 'job-activity'
          ? { ...job, activity: event.text }
          : { ...job, usage: event.usage },
      );
    }
    case 'job-end':
    case 'job-skip':
      return replace(state, { name: event.result.name, state: 'done', result: event.result });
    case 'run-end':
      return state;
  }
}

/** How many jobs are in each part of their life. */
export function countJobs(state: LiveState): {
  queued: number;
  running: number;
  done: number;
  failed: number;
} {
  let queued = 0;
  let running = 0;
  let done = 0;
  let failed = 0;
  for (const job of state.jobs) {
    if (job.state === 'queued') queued += 1;
    else if (job.state !== 'done') running += 1;
    else if (job.result.outcome === 'success') done += 1;
    else failed += 1;
  }
  return { queued, running, done, failed };
}

function replace(state: LiveState, job: LiveJob): LiveState {
  const known = state.jobs.some((candidate) => candidate.name === job.name);
  return {
    ...state,
    jobs: known
      ? state.jobs.map((candidate) => (candidate.name === job.name ? job : candidate))
      : [...state.jobs, job],
  };
}
