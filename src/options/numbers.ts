// Validation of the numeric settings, shared by the library options and the CLI flags.
import { UsageError } from '../errors.js';

/** The longest a Node timer can wait, in milliseconds (2^31 - 1, about 24.8 days): a longer
 * delay would fire at once, so parex chains timers for longer waits (engine/long-sleep.ts,
 * process/terminate/deadline.ts). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Checks a number of seconds (0 or more, fractions allowed); `label` names the setting in the
 * error. `unitMs` is 1 for a setting given in milliseconds.
 */
export function validateSeconds(
  value: unknown,
  label: string,
  zeroMeans: string,
  text?: string,
  unitMs = 1000,
): number {
  const unit = unitMs === 1 ? 'milliseconds' : 'seconds';
  const got = text === undefined ? describe(value) : JSON.stringify(text);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new UsageError(
      `${label} must be a number of ${unit}, 0 or more; got ${got}`,
      `${label} sets how long parex waits, and ${zeroMeans}`,
      unitMs === 1 ? 'give a value such as 500' : 'give a value such as 600 or 1.5',
    );
  }
  return value;
}

/** Checks a count of jobs at once (a whole number, 0 or more). */
export function validateConcurrency(value: unknown, label: string, text?: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new UsageError(
      `${label} must be a whole number of jobs, 0 or more; got ${text === undefined ? describe(value) : JSON.stringify(text)}`,
      `${label} limits how many jobs run at once, and 0 means all of them`,
      `give a value such as 4`,
    );
  }
  return value;
}

/** Parses the text of a flag or environment variable as a number, for the validators above. */
export function parseNumberText(text: string): number {
  const trimmed = text.trim();
  return /^[0-9]+(\.[0-9]+)?$|^\.[0-9]+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'not a number' : String(value);
  return `${JSON.stringify(value)} (${typeof value})`;
}
