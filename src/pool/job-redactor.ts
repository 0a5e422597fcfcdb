// The redactor of a job's environment and secret patterns on a worker, made once for the jobs
// that share them (finding the secrets looks at every variable against every pattern).
import { runRedactor } from '../options/secrets.js';
import type { Redactor } from '../redact/redactor.js';
import type { JobPayload } from './protocol.js';

/** Redactors kept at most (a run's jobs mostly share one). */
const REDACTORS_KEPT = 64;

/** The redactor of a job's environment and secret patterns, made once for the jobs sharing them
 * (finding the secrets looks at every variable against every pattern). */
export function redactorFor(
  redactors: Map<string, Redactor>,
  jobEnv: NodeJS.ProcessEnv,
  payload: JobPayload,
): Redactor {
  const key = JSON.stringify([payload.env ?? {}, payload.secretPatterns ?? []]);
  let redactor = redactors.get(key);
  if (redactor === undefined) {
    if (redactors.size >= REDACTORS_KEPT) redactors.clear();
    redactor = runRedactor({ env: jobEnv, patterns: payload.secretPatterns ?? [] });
    redactors.set(key, redactor);
  }
  return redactor;
}
