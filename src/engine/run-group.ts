// runGroup: validate, prepare the log directory, then run every job in its slot and record it.
import type { GroupEvent, GroupResult, JobResult } from '../model.js';
import { type GroupOptions, normalizeGroupOptions, type PlannedJob } from '../options/normalize.js';
import type { SpawnFunction } from '../process/spawn.js';
import { computeSpeedup } from '../report/speedup.js';
import { prepareLogDir } from './prepare-dir.js';
import { runJob, skippedResult } from './run-job.js';
import { runInSlots } from './scheduler.js';

/** Runs a group of jobs in parallel and resolves with every job's result; throws only UsageError. */
export async function runGroup(
  options: GroupOptions,
  spawnFunction?: SpawnFunction,
): Promise<GroupResult> {
  const plan = normalizeGroupOptions(options);
  const prepared = prepareLogDir(plan);
  const { recorder } = prepared;
  const emit = (event: GroupEvent) => {
    recorder.record(event);
    plan.onEvent(event);
  };
  emit({
    type: 'run-start',
    runId: plan.runId,
    logDir: plan.logDir,
    jobs: plan.jobs.length,
    names: plan.jobs.map((job) => job.name),
    concurrency: plan.concurrency,
  });
  const results = new Map<string, JobResult>();
  let notStarted: PlannedJob[];
  try {
    notStarted = await runInSlots(plan.jobs, plan.concurrency, plan.signal, {
      run: async (job) => {
        const result = await runJob(job, plan, emit, spawnFunction);
        results.set(job.name, result);
        emit({ type: 'job-end', result });
        return result.outcome === 'success';
      },
      skip: (job, need) => {
        const result = skippedResult(job, plan, need);
        results.set(job.name, result);
        emit({ type: 'job-skip', result });
      },
    });
  } finally {
    await prepared.close();
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

function signalOf(reason: unknown): NodeJS.Signals | null {
  return typeof reason === 'string' && reason.startsWith('SIG') ? (reason as NodeJS.Signals) : null;
}
