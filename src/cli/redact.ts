// Secrets in what the CLI prints or records outside the manifest (JSON events, the run history,
// log tails in reports): the values of this process's secret variables become "***".
import { DEFAULTS } from '../options/defaults.js';
import { makeRedactor, secretValues } from '../options/secrets.js';

/** A redactor for the secret variables of this process's environment. */
export function environmentRedactor(extraPatterns: readonly string[] = []): <T>(value: T) => T {
  return makeRedactor(secretValues(process.env, [...DEFAULTS.secretPatterns, ...extraPatterns]));
}
