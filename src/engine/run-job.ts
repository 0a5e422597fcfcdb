// One job of a group: run its process, classify the ending, let the job's own verdict speak.
import { isUnsafeFileError } from '../files/regular-file.js';
import type { GroupEvent } from '../model/events.js';
import type { JobVerdict } from '../model/job.js';
import type { JobResult } from '../model/result.js';
import type { GroupPlan, PlannedJob } from '../options/normalize.js';
import { classify } from './classify.js';
import type { JobExecutor } from './executor.js';
import { failureTail } from './failure-tail.js';
import { watchOutput } from './watch-output.js';

/** Runs one planned job to the end of its process group and returns its result; null when its
 * executor never started it (a pool's queue, emptied by a cancel). */
export async function runJob(
  job: PlannedJob,
  plan: GroupPlan,
  emit: (event: GroupEvent) => void,
  executor: JobExecutor,
  markers: Readonly<Record<string, string>> = {},
  stop: AbortSignal | null = null,
): Promise<JobResult | null> {
  let pid = 0;
  let watching: { stop(): void } | null = null;
  const ran = await executor.execute(job, {
    argv: job.argv,
    cwd: job.cwd ?? plan.cwd,
    env: { ...plan.env, ...job.env, ...markers, PAREX_ATTEMPT: String(job.attempt) },
    input: job.input,
    logPath: job.logPath,
    timeoutMs: toMs(job.timeoutSec),
    idleMs: toMs(job.idleTimeoutSec),
    graceMs: Math.round(plan.killAfterSec * 1000),
    stopSignals: job.stopSignals,
    cancel: plan.signal,
    stop,
    force: plan.forceSignal,
    onSpawn: (spawnedPid, startedAt, fields = {}) => {
      pid = spawnedPid;
      emit({
        type: 'job-start',
        name: job.name,
        pid,
        command: job.command,
        startedAt,
        logPath: job.logPath,
        attempt: job.attempt,
        timeoutSec: job.timeoutSec,
        fields: { ...job.manifestFields, ...fields },
      });
      if (job.watch !== null) watching = watchOutput(job.name, job.logPath, job.watch(), emit);
    },
    onSignal: (signal, reason) => emit({ type: 'job-signal', name: job.name, pid, signal, reason }),
  });
  (watching as { stop(): void } | null)?.stop();
  if (ran.kind === 'not-started') return null;
  const classified =
    ran.lost !== undefined
      ? { outcome: 'lost' as const, exitCode: null }
      : ran.setupFailed !== undefined
        ? { outcome: 'setup_failed' as const, exitCode: null }
        : classify(ran);
  const failure = classified.outcome === 'success' ? (ran.failure ?? null) : null;
  const { exitCode } = classified;
  const outcome = failure === null ? classified.outcome : 'failed';
  const result: JobResult = {
    name: job.name,
    command: job.command,
    outcome,
    exitCode,
    signal: ran.signal,
    pid: ran.pid,
    startedAt: ran.startedAt,
    endedAt: ran.endedAt,
    durationMs: ran.durationMs,
    logPath: job.logPath,
    stopReason: ran.stopReason,
    signalsSent: ran.signalsSent,
    killedAfterMs: ran.killedAfterMs,
    timeoutSec: job.timeoutSec,
    idleTimeoutSec: job.idleTimeoutSec,
    killAfterSec: plan.killAfterSec,
    reapedLeftovers: ran.reapedLeftovers,
    errorMessage: ran.spawnError === null ? null : describeSpawnError(job, ran.spawnError),
    reason: ran.lost ?? ran.setupFailed ?? failure,
    attempt: job.attempt,
    details: { ...job.manifestFields, ...ran.fields },
    logTail: [],
  };
  const judged =
    ran.pid === null || ran.lost !== undefined || ran.setupFailed !== undefined
      ? result
      : await applyVerdict(result, job);
  return { ...judged, logTail: failureTail(judged, plan) };
}

/** The result of a job that never ran because a job it needs did not succeed. */
export function skippedResult(job: PlannedJob, plan: GroupPlan, need: string): JobResult {
  return notRunResult(job, plan, 'skipped', `needs ${need}, which did not succeed`);
}

/** The result of a job that never ran: skipped, or refused by the start admission (budget). */
export function notRunResult(
  job: PlannedJob,
  plan: GroupPlan,
  outcome: 'skipped' | 'budget',
  reason: string,
): JobResult {
  const now = new Date();
  return {
    name: job.name,
    command: job.command,
    outcome,
    exitCode: null,
    signal: null,
    pid: null,
    startedAt: now,
    endedAt: now,
    durationMs: 0,
    logPath: job.logPath,
    stopReason: null,
    signalsSent: [],
    timeoutSec: job.timeoutSec,
    idleTimeoutSec: job.idleTimeoutSec,
    killAfterSec: plan.killAfterSec,
    reapedLeftovers: false,
    errorMessage: null,
    reason,
    attempt: job.attempt,
    details: job.manifestFields,
    logTail: [],
  };
}

async function applyVerdict(result: JobResult, job: PlannedJob): Promise<JobResult> {
  if (job.evaluate === null) return result;
  let verdict: JobVerdict;
  try {
    verdict = await job.evaluate(result);
  } catch (error) {
    verdict = { outcome: 'failed', reason: `could not check the job's result: ${String(error)}` };
  }
  const fails = verdict.outcome === 'failed' && result.outcome === 'success';
  return {
    ...result,
    outcome: fails ? 'failed' : result.outcome,
    reason: verdict.reason ?? result.reason,
    details: { ...result.details, ...verdict.details },
  };
}

/** Seconds to a timer's milliseconds: 0 stays "none", anything else is at least 1 ms. */
function toMs(seconds: number): number {
  return seconds === 0 ? 0 : Math.max(1, Math.round(seconds * 1000));
}

function describeSpawnError(job: PlannedJob, error: NodeJS.ErrnoException): string {
  const [file] = job.argv;
  if (isUnsafeFileError(error)) {
    return `log file ${error.path} is ${error.unsafe}: parex never writes through a link or into a special file`;
  }
  // A pool's worker refused the job: nothing of the program's.
  if (error.code === 'EREFUSED') return error.message;
  // The fork server says which step failed; Node's spawn reports every step as the program's.
  if (error.syscall === 'chdir') return `working directory ${error.path}: ${errorWords(error)}`;
  if (error.syscall === 'open') return `log file ${error.path}: ${errorWords(error)}`;
  if (error.code === 'ENOENT') return `${file}: not found (or the working directory is missing)`;
  if (error.code === 'EACCES') return `${file}: permission denied`;
  const limit = LIMIT_WORDS[error.code ?? ''];
  if (limit !== undefined) return `${file}: could not start: ${limit} (${error.code})`;
  return `${file}: ${error.message}`;
}

/** The errors of a system at its limits, in words: each is one job's spawn error. */
const LIMIT_WORDS: Readonly<Record<string, string>> = {
  EAGAIN: 'too many processes (the process limit, ulimit -u, is reached)',
  ENOMEM: 'not enough memory to start a process',
  EMFILE: 'too many open files in parex (ulimit -n)',
  ENFILE: 'too many open files in the system',
};

function errorWords(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return 'not found';
  if (error.code === 'EACCES') return 'permission denied';
  const limit = LIMIT_WORDS[error.code ?? ''];
  return limit === undefined ? (error.code ?? error.message) : `${limit} (${error.code})`;
}
