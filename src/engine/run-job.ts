// One job of a group: run its process, classify the ending, let the job's own verdict speak.
import type { GroupEvent, JobResult, JobVerdict } from '../model.js';
import type { GroupPlan, PlannedJob } from '../options/normalize.js';
import { classify } from './classify.js';
import type { JobExecutor } from './executor.js';

/** Runs one planned job to the end of its process group and returns its result; null when its
 * executor never started it (a pool's queue, emptied by a cancel). */
export async function runJob(
  job: PlannedJob,
  plan: GroupPlan,
  emit: (event: GroupEvent) => void,
  executor: JobExecutor,
  markers: Readonly<Record<string, string>> = {},
): Promise<JobResult | null> {
  let pid = 0;
  const ran = await executor.execute(job, {
    argv: job.argv,
    cwd: job.cwd ?? plan.cwd,
    env: { ...plan.env, ...job.env, ...markers },
    input: job.input,
    logPath: job.logPath,
    timeoutMs: toMs(job.timeoutSec),
    idleMs: toMs(job.idleTimeoutSec),
    graceMs: Math.round(plan.killAfterSec * 1000),
    stopSignals: job.stopSignals,
    cancel: plan.signal,
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
    },
    onSignal: (signal, reason) => emit({ type: 'job-signal', name: job.name, pid, signal, reason }),
  });
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
    timeoutSec: job.timeoutSec,
    idleTimeoutSec: job.idleTimeoutSec,
    killAfterSec: plan.killAfterSec,
    reapedLeftovers: ran.reapedLeftovers,
    errorMessage: ran.spawnError === null ? null : describeSpawnError(job, ran.spawnError),
    reason: ran.lost ?? ran.setupFailed ?? failure,
    attempt: job.attempt,
    details: { ...job.manifestFields, ...ran.fields },
  };
  return ran.pid === null || ran.lost !== undefined || ran.setupFailed !== undefined
    ? result
    : applyVerdict(result, job);
}

/** The result of a job that never ran because a job it needs did not succeed. */
export function skippedResult(job: PlannedJob, plan: GroupPlan, need: string): JobResult {
  const now = new Date();
  return {
    name: job.name,
    command: job.command,
    outcome: 'skipped',
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
    reason: `needs ${need}, which did not succeed`,
    attempt: job.attempt,
    details: job.manifestFields,
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
  // The fork server says which step failed; Node's spawn reports every step as the program's.
  if (error.syscall === 'chdir') return `working directory ${error.path}: ${errorWords(error)}`;
  if (error.syscall === 'open') return `log file ${error.path}: ${errorWords(error)}`;
  if (error.code === 'ENOENT') return `${file}: not found (or the working directory is missing)`;
  if (error.code === 'EACCES') return `${file}: permission denied`;
  return `${file}: ${error.message}`;
}

function errorWords(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return 'not found';
  if (error.code === 'EACCES') return 'permission denied';
  return error.code ?? error.message;
}
