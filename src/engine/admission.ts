// The start-admission seam: before each start the scheduler asks whether a job may start now
// (per-agent caps, budget left, a provider paused after a rate limit). An admission that says
// "wait" wakes the scheduler when the answer may have changed. The engine knows no budget: it
// calls this small interface, which src/budget/ implements.
import type { GroupEvent } from '../model/events.js';
import type { StopReason } from '../model/outcome.js';
import type { JobResult } from '../model/result.js';
import type { SpendReport } from '../model/spend.js';
import type { PlannedJob } from '../options/normalize.js';

/** The answer to "may this job start now?". */
export type AdmitVerdict =
  | { readonly kind: 'start' }
  /** Not now: the admission calls wake() when it may. */
  | { readonly kind: 'wait' }
  /** Never: the job is recorded with this outcome and reason, and jobs that need it are skipped. */
  | { readonly kind: 'refuse'; readonly outcome: 'budget'; readonly reason: string };

/** What the engine lets an admission do while the group runs. */
export interface AdmissionControl {
  /** Makes the scheduler ask again about the jobs that wait. */
  wake(): void;
  /** Stops a running job's process group by its stop ladder, recording `reason`. */
  stop(name: string, reason: StopReason): void;
  /** Records and reports an event of the group. */
  emit(event: GroupEvent): void;
  /** Tells the user something that does not stop the run. */
  warn(message: string): void;
  /** The group's log directory (for files the admission keeps beside the manifest). */
  readonly logDir: string;
  readonly runId: string;
}

/** A rule about when jobs may start, told of everything that happens in the group. */
export interface StartAdmission {
  /** Called once, before the first start. */
  open(control: AdmissionControl): void;
  /** Whether `job` may start now. */
  admit(job: PlannedJob): AdmitVerdict;
  /** Every event of the group, as it is emitted. */
  observe(event: GroupEvent): void;
  /** A finished attempt, before its completion line is written: may add details (its spend). */
  completed(job: PlannedJob, result: JobResult): JobResult;
  /** The least wait before the job's next attempt (a provider's rate-limit pause), in ms. */
  retryWaitMs(job: PlannedJob): number;
  /** The job's last attempt has ended: its slot is free. */
  ended(job: PlannedJob, result: JobResult): void;
  /** The group has ended: stop every timer. */
  close(): void;
  /** What the run spent against its budget, for the group's result; null without accounting. */
  report(): SpendReport | null;
  /** The per-agent caps it holds, for an executor that must hold them across machines too (a
   * pool shared by several runs); none when absent. */
  agentCaps?(): ReadonlyMap<string, number>;
}

/** The admission that lets every job start at once: the engine's default. */
export const OPEN_ADMISSION: StartAdmission = {
  open: () => {},
  admit: () => ({ kind: 'start' }),
  observe: () => {},
  completed: (_job, result) => result,
  retryWaitMs: () => 0,
  ended: () => {},
  close: () => {},
  report: () => null,
};
