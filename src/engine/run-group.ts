// runGroup: validate, prepare the log directory, then run every job in its slot and record it.
import type { GroupEvent, GroupResult, JobResult } from '../model.js';
import {
  type GroupOptions,
  type GroupPlan,
  normalizeGroupOptions,
  type PlannedJob,
} from '../options/normalize.js';
import { runProcess } from '../process/run-process.js';
import type { SpawnFunction } from '../process/spawn.js';
import { computeSpeedup } from '../report/speedup.js';
import { classify } from './classify.js';
import { prepareLogDir } from './prepare-dir.js';
import { runInSlots } from './scheduler.js';

/** Runs a group of jobs in parallel and resolves with every job's result; throws only UsageError. */
export async function runGroup(
  options: GroupOptions,
  spawnFunction?: SpawnFunction,
): Promise<GroupResult> {
  const plan = normalizeGroupOptions(options);
  const recorder = prepareLogDir(plan);
  const emit = (event: GroupEvent) => {
    recorder.record(event);
    plan.onEvent(event);
  };
  emit({
    type: 'run-start',
    runId: plan.runId,
    logDir: plan.logDir,
    jobs: plan.jobs.length,
    concurrency: plan.concurrency,
  });
  const results = new Map<string, JobResult>();
  let notStarted: PlannedJob[];
  try {
    notStarted = await runInSlots(plan.jobs, plan.concurrency, plan.signal, async (job) => {
      const result = await runJob(job, plan, emit, spawnFunction);
      results.set(job.name, result);
      emit({ type: 'job-end', result });
    });
  } finally {
    recorder.close();
  }
  const ordered = plan.jobs.flatMap((job) => results.get(job.name) ?? []);
  const cancelledBy = plan.signal?.aborted === true ? signalOf(plan.signal.reason) : null;
  const result: GroupResult = {
    runId: plan.runId,
    feature: plan.feature,
    group: plan.group,
    logDir: plan.logDir,
    manifestPath: plan.manifestPath,
    results: ordered,
    notStarted: notStarted.map((job) => job.name),
    speedup: computeSpeedup(ordered.filter((job) => job.pid !== null)),
    ok: notStarted.length === 0 && ordered.every((job) => job.outcome === 'success'),
    cancelledBy,
  };
  plan.onEvent({ type: 'run-end', result });
  return result;
}

async function runJob(
  job: PlannedJob,
  plan: GroupPlan,
  emit: (event: GroupEvent) => void,
  spawnFunction: SpawnFunction | undefined,
): Promise<JobResult> {
  let pid = 0;
  const ran = await runProcess({
    argv: job.argv,
    cwd: plan.cwd,
    env: { ...plan.env, ...job.env },
    input: job.input,
    logPath: job.logPath,
    timeoutMs: Math.round(job.timeoutSec * 1000),
    graceMs: Math.round(plan.killAfterSec * 1000),
    stopSignals: job.stopSignals,
    cancel: plan.signal,
    force: plan.forceSignal,
    onSpawn: (spawnedPid, startedAt) => {
      pid = spawnedPid;
      emit({
        type: 'job-start',
        name: job.name,
        pid,
        command: job.command,
        startedAt,
        logPath: job.logPath,
      });
    },
    onSignal: (signal, reason) => emit({ type: 'job-signal', name: job.name, pid, signal, reason }),
    ...(spawnFunction === undefined ? {} : { spawnFunction }),
  });
  const { outcome, exitCode } = classify(ran);
  return {
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
    killAfterSec: plan.killAfterSec,
    reapedLeftovers: ran.reapedLeftovers,
    errorMessage: ran.spawnError === null ? null : describeSpawnError(job, ran.spawnError),
  };
}

function describeSpawnError(job: PlannedJob, error: NodeJS.ErrnoException): string {
  const [file] = job.argv;
  if (error.code === 'ENOENT') return `${file}: not found (or the working directory is missing)`;
  if (error.code === 'EACCES') return `${file}: permission denied`;
  return `${file}: ${error.message}`;
}

function signalOf(reason: unknown): NodeJS.Signals | null {
  return typeof reason === 'string' && reason.startsWith('SIG') ? (reason as NodeJS.Signals) : null;
}
