// The results a group hands back: every job's, or (keepResults 'unsuccessful', a run of 100,000
// commands) only those of the jobs that did not succeed, the successes counted. The manifest on
// disk is the full record either way.
import type { JobResult } from '../model/result.js';

/** The results kept so far, by job position. */
export class KeptResults {
  /** Successes counted but not kept. */
  omitted = 0;
  private readonly results = new Map<number, JobResult>();

  constructor(private readonly keepAll: boolean) {}

  /** Records how job number `index` ended. */
  keep(index: number, result: JobResult): void {
    if (this.keepAll || result.outcome !== 'success') this.results.set(index, result);
    else this.omitted += 1;
  }

  /** The kept results, in the order the jobs were given. */
  inOrder(): JobResult[] {
    return [...this.results.keys()]
      .sort((a, b) => a - b)
      .map((index) => this.results.get(index) as JobResult);
  }
}
