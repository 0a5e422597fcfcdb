// --fail-fast: at the first job that does not succeed, stop the run through its own stop: the
// running jobs by their stop ladder (as a cancel would), and no further start.
import type { JobResult } from '../model/result.js';
import type { RunHalt } from './halt.js';

/** The fail-fast policy of a run. */
export interface FailFast {
  /** Told each job's final result; halts the run at the first that did not succeed. */
  jobEnded(result: JobResult): void;
}

/** Fail-fast over `halt`; `enabled` false gives a policy that never fires. */
export function failFast(halt: RunHalt, enabled: boolean): FailFast {
  return {
    jobEnded: (result) => {
      if (!enabled || result.outcome === 'success' || halt.signal.aborted) return;
      halt.halt({ reason: 'fail-fast', job: result.name, outcome: result.outcome });
    },
  };
}
