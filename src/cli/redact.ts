// The CLI's redactor: what it prints or records outside the manifest (JSON events, the run
// history, the progress lines, error messages) is redacted with the secrets of this process's
// environment and, once a run is planned, with that run's whole secret set.
import { runRedactor, type SecretSources } from '../options/secrets.js';
import { combineRedactors, type Redactor } from '../redact/redactor.js';

let active: Redactor | null = null;

/** The redactor in use: the run's, or the environment's before a run is planned. */
export function cliRedactor(): Redactor {
  active ??= runRedactor({ env: process.env });
  return active;
}

/** Makes the run's secret set (its environment, every job's variables, --secret-env) the one in use. */
export function useRunSecrets(sources: SecretSources): Redactor {
  active = combineRedactors(runRedactor({ env: process.env }), runRedactor(sources));
  return active;
}
