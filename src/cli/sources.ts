// Settings that come from a flag or an environment variable (flag > environment > default),
// validated with the setting's source named in any error.
import type { Command } from 'commander';

import { parseNumberText, validateConcurrency, validateSeconds } from '../options/numbers.js';

/** The name of the flag or environment variable that gave `key` its value, for error messages. */
export function sourceLabel(command: Command, key: string, flag: string, envName: string): string {
  return command.getOptionValueSource(key) === 'env' ? envName : flag;
}

/** Reads an option as seconds (milliseconds when `unitMs` is 1); undefined when neither the flag nor the environment set it. */
export function secondsOption(
  command: Command,
  key: string,
  flag: string,
  envName: string,
  zeroMeans: string,
  unitMs = 1000,
): number | undefined {
  const text: unknown = command.getOptionValue(key);
  if (text === undefined) return undefined;
  const label = sourceLabel(command, key, flag, envName);
  return validateSeconds(parseNumberText(String(text)), label, zeroMeans, String(text), unitMs);
}

/** Reads an option as a count of jobs; undefined when unset. */
export function countOption(
  command: Command,
  key: string,
  flag: string,
  envName: string,
): number | undefined {
  const text: unknown = command.getOptionValue(key);
  if (text === undefined) return undefined;
  const label = sourceLabel(command, key, flag, envName);
  const value = /^\s*[0-9]+\s*$/.test(String(text)) ? Number(text) : Number.NaN;
  return validateConcurrency(value, label, String(text));
}

/** Reads a text option; undefined when unset. */
export function textOption(command: Command, key: string): string | undefined {
  const value: unknown = command.getOptionValue(key);
  return value === undefined ? undefined : String(value);
}
