// A JobView with every field a report needs, for tests of the report's renderers.
import type { JobView } from '../../src/report/run-view.js';

/** A job as `viewJobs` would read it; `endedAt` follows from `startedAt` and `durationMs`. */
export function jobView(
  fields: Partial<JobView> & { name: string; state: JobView['state'] },
): JobView {
  const startedAt = fields.startedAt ?? null;
  const durationMs = fields.durationMs ?? null;
  return {
    runId: 'run-1',
    exitCode: null,
    pid: 100,
    endedAt:
      startedAt !== null && durationMs !== null && fields.state !== 'running'
        ? new Date(startedAt.getTime() + durationMs)
        : null,
    attempts: 1,
    agent: null,
    needs: [],
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    reason: null,
    logPath: `/logs/${fields.name}.log`,
    group: null,
    conflicts: [],
    candidates: [],
    worker: null,
    queueMs: null,
    ...fields,
    startedAt,
    durationMs,
  };
}
