// Start admission: before each start the scheduler asks whether a job may start now. Policies
// (fail-fast; per-agent caps, budgets and rate-limit pauses) answer, and wake the scheduler
// when an answer they gave may have changed.

/** The answer for one job: start it now, ask again when woken, or never start it. */
export type Admission = 'start' | 'wait' | 'never';

/** A policy the scheduler consults before each start. */
export interface StartAdmission<T> {
  /** Whether `job` may start now. 'never' leaves it not started. */
  admit(job: T): Admission;
  /** Called once by the scheduler with the function that makes it ask again. */
  subscribe?(wake: () => void): void;
}

/** Several policies as one: the strictest answer wins ('never' over 'wait' over 'start'). */
export function allOf<T>(policies: readonly StartAdmission<T>[]): StartAdmission<T> {
  return {
    admit: (job) => {
      let answer: Admission = 'start';
      for (const policy of policies) {
        const next = policy.admit(job);
        if (next === 'never') return next;
        if (next === 'wait') answer = next;
      }
      return answer;
    },
    subscribe: (wake) => {
      for (const policy of policies) policy.subscribe?.(wake);
    },
  };
}
