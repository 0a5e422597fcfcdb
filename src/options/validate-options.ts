// The types of every library option, checked before anything else: a caller from plain
// JavaScript (or JSON) gets a UsageError naming the field, what it must be and what it got,
// never a TypeError from deep inside, a job that runs with a bad value, or an ignored typo.
import { constants } from 'node:os';

import { UsageError } from '../errors.js';
import type { JobSpec } from '../model/job.js';
import { didYouMean } from '../names/suggest.js';
import type { GroupOptions } from './normalize.js';

/** What a field must hold. */
type Kind =
  | 'string'
  | 'text-or-null'
  | 'number'
  | 'boolean'
  | 'function'
  | 'strings'
  | 'env'
  | 'abort-signal'
  | 'jobs'
  | 'input'
  | 'signals'
  | 'record'
  | 'side-files'
  | 'keep-results'
  | 'record-or-null';

const GROUP_FIELDS: Readonly<Record<keyof GroupOptions, Kind>> = {
  jobs: 'jobs',
  concurrency: 'number',
  timeoutSec: 'number',
  idleTimeoutSec: 'number',
  killAfterSec: 'number',
  logDir: 'string',
  feature: 'text-or-null',
  group: 'text-or-null',
  runId: 'string',
  cwd: 'string',
  env: 'env',
  signal: 'abort-signal',
  forceSignal: 'abort-signal',
  onEvent: 'function',
  force: 'boolean',
  unsetEnv: 'strings',
  secretPatterns: 'strings',
  retries: 'number',
  retryDelaySec: 'number',
  staggerMs: 'number',
  staggerSameKeyMs: 'number',
  onWarning: 'function',
  forkServer: 'boolean',
  failFast: 'boolean',
  executor: 'function',
  admission: 'record',
  keepResults: 'keep-results',
  workspace: 'record-or-null',
};

const JOB_FIELDS: Readonly<Record<keyof JobSpec, Kind>> = {
  name: 'string',
  command: 'string',
  argv: 'strings',
  input: 'input',
  env: 'env',
  timeoutSec: 'number',
  idleTimeoutSec: 'number',
  stopSignals: 'signals',
  needs: 'strings',
  after: 'strings',
  cwd: 'string',
  attempt: 'number',
  inputs: 'strings',
  outputs: 'strings',
  sideFiles: 'side-files',
  runsOn: 'strings',
  manifestFields: 'record',
  evaluate: 'function',
  watch: 'function',
  startKey: 'text-or-null',
  agent: 'string',
  spending: 'record',
};

const WORDS: Readonly<Record<Kind, string>> = {
  string: 'a string',
  'text-or-null': 'a string or null',
  number: 'a number',
  boolean: 'true or false',
  function: 'a function',
  strings: 'an array of strings',
  env: 'an object whose values are strings',
  'abort-signal': 'an AbortSignal',
  jobs: 'an array of command strings and job objects, or a source { length, at(index) }',
  'keep-results': '"all" or "unsuccessful"',
  input: 'a string or a Uint8Array',
  signals: 'an array of signal names such as "SIGTERM"',
  record: 'a plain object',
  'side-files': 'an array of { path, kind: "file", "home", "inbound" or "dir", agent? }',
  'record-or-null': 'an object or null',
};

/** Throws a UsageError for the first option (or job field) of the wrong type or unknown name. */
export function validateOptionTypes(options: unknown): asserts options is GroupOptions {
  if (!isRecord(options)) {
    fail('the options of runGroup', 'an object such as { jobs: ["npm test"] }', options);
  }
  checkFields(options, GROUP_FIELDS, (key) => `the option ${key}`, 'option');
  const jobs = options.jobs;
  if (!Array.isArray(jobs)) return;
  jobs.forEach(validateJobType);
}

/** Throws a UsageError when job number `index` (from 0) is neither a command nor a well-typed job object. */
export function validateJobType(job: unknown, index: number): void {
  if (typeof job === 'string') return;
  const label = `job ${index + 1}${isRecord(job) && typeof job.name === 'string' ? ` (${job.name})` : ''}`;
  if (!isRecord(job)) fail(label, 'a command string or a job object', job);
  checkFields(job, JOB_FIELDS, (key) => `${label}: ${key}`, 'job field');
}

function checkFields(
  value: Record<string, unknown>,
  fields: Readonly<Record<string, Kind>>,
  label: (key: string) => string,
  noun: string,
): void {
  for (const [key, entry] of Object.entries(value)) {
    if (entry === undefined) continue;
    const kind = fields[key];
    if (kind === undefined) {
      throw new UsageError(
        `unknown ${noun} "${key}"${didYouMean(key, Object.keys(fields))}`,
        'an option parex does not know would be silently ignored',
        `use only ${Object.keys(fields).join(', ')} (see docs/api.md)`,
      );
    }
    const problem = kindProblem(kind, entry);
    if (problem !== null) fail(`${label(key)}${problem.at}`, problem.expected, problem.got);
  }
}

function kindProblem(
  kind: Kind,
  value: unknown,
): { at: string; expected: string; got: unknown } | null {
  const bad = (at = '', got: unknown = value, expected = WORDS[kind]) => ({ at, expected, got });
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? null : bad();
    case 'text-or-null':
      return value === null || typeof value === 'string' ? null : bad();
    case 'number':
      return typeof value === 'number' ? null : bad();
    case 'boolean':
      return typeof value === 'boolean' ? null : bad();
    case 'function':
      return typeof value === 'function' ? null : bad();
    case 'abort-signal':
      return value instanceof AbortSignal ? null : bad();
    case 'input':
      return typeof value === 'string' || value instanceof Uint8Array ? null : bad();
    case 'record':
      return isRecord(value) ? null : bad();
    case 'record-or-null':
      return value === null || (typeof value === 'object' && !Array.isArray(value)) ? null : bad();
    case 'jobs':
      return Array.isArray(value) || isJobSource(value) ? null : bad();
    case 'side-files': {
      if (!Array.isArray(value)) return bad();
      const index = value.findIndex(
        (item) =>
          !isRecord(item) ||
          typeof item.path !== 'string' ||
          item.path === '' ||
          !['file', 'home', 'inbound', 'dir'].includes(String(item.kind)),
      );
      return index < 0 ? null : bad(`[${index}]`, value[index]);
    }
    case 'keep-results':
      return value === 'all' || value === 'unsuccessful' ? null : bad();
    case 'strings':
    case 'signals': {
      if (!Array.isArray(value)) return bad();
      const index = value.findIndex((item) => typeof item !== 'string');
      if (index >= 0) return bad(`[${index}]`, value[index], 'a string');
      if (kind === 'signals') return signalProblem(value as string[]);
      return null;
    }
    case 'env': {
      if (!isRecord(value)) return bad();
      const entry = Object.entries(value).find(([, item]) => typeof item !== 'string');
      // undefined removes a variable from an inherited environment (as in process.env).
      if (entry !== undefined && entry[1] !== undefined) {
        return bad(`.${entry[0]}`, entry[1], 'a string (environment variables are text)');
      }
      return null;
    }
  }
}

function signalProblem(
  signals: readonly string[],
): { at: string; expected: string; got: unknown } | null {
  const known = Object.keys(constants.signals);
  const index = signals.findIndex((signal) => !known.includes(signal));
  if (index < 0) return null;
  const signal = signals[index] as string;
  return {
    at: `[${index}]`,
    expected: `a signal name of this platform${didYouMean(signal, known)}, e.g. "SIGTERM", "SIGINT", "SIGKILL"`,
    got: signal,
  };
}

function fail(label: string, expected: string, got: unknown): never {
  throw new UsageError(
    `${label} must be ${expected}; got ${describe(got)}`,
    'runGroup checks every option before it starts anything, so a bad value can never run',
    'fix that value (docs/api.md lists every option and its type)',
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array (${JSON.stringify(value).slice(0, 60)})`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value)})`;
  if (typeof value === 'function') return 'a function';
  return `${String(value)} (${typeof value})`;
}

function isJobSource(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const { length, at } = value;
  return typeof length === 'number' && Number.isSafeInteger(length) && typeof at === 'function';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
