// The one place a failed job's log tail is copied out of its log: at the end of the job, while
// the run knows its secrets, so that what is stored (the manifest's log_tail) and shown later
// (summary, report, status, --output errors) never needs the raw log or the secrets again.
import { tailLines } from '../journal/log-tail.js';
import type { JobResult } from '../model/result.js';
import { DEFAULTS } from '../options/defaults.js';
import type { GroupPlan } from '../options/normalize.js';

/** The redacted last lines of the log of a job that did not succeed; [] for a success. */
export function failureTail(result: JobResult, plan: Pick<GroupPlan, 'redactor'>): string[] {
  if (result.outcome === 'success' || result.outcome === 'skipped') return [];
  return plan.redactor.deep(tailLines(result.logPath, DEFAULTS.failureTailLines));
}
