// One job of a group, validated and with the group's defaults applied: its name, command or
// argv, limits, stop signals and log path.
import { UsageError } from '../errors.js';
import type { JobSpec, JobSpending } from '../model/job.js';
import { resolveInside } from '../names/inside-root.js';
import { defaultJobName } from '../names/name-list.js';
import { assertValidName } from '../names/validate.js';
import { DEFAULTS } from './defaults.js';
import type { PlannedJob } from './normalize.js';
import { validateSeconds } from './numbers.js';

/** Shared by every job that has none of its own (100,000 jobs need no 100,000 empty objects). */
export const NO_ENV: Readonly<Record<string, string>> = Object.freeze({});
/** Shared by every job without needs, inputs, outputs or tags. */
const NO_NEEDS: readonly string[] = Object.freeze([]);
const NO_FIELDS: Readonly<Record<string, unknown>> = Object.freeze({});
const NO_SPENDING: JobSpending = Object.freeze({});

/** Plans job number `index` of a group whose logs go to `logDir`. */
export function planJob(
  job: JobSpec | string,
  index: number,
  logDir: string,
  groupTimeoutSec: number,
  groupIdleSec: number,
): PlannedJob {
  const spec: JobSpec =
    typeof job === 'string' ? { name: defaultJobName(index), command: job } : job;
  const name = assertValidName(spec.name, 'job name');
  const timeoutSec =
    spec.timeoutSec === undefined
      ? groupTimeoutSec
      : validateSeconds(spec.timeoutSec, `the timeout of job ${name}`, '0 means no timeout');
  const idleTimeoutSec =
    spec.idleTimeoutSec === undefined
      ? groupIdleSec
      : validateSeconds(spec.idleTimeoutSec, `the idle timeout of job ${name}`, '0 means never');
  return {
    name,
    idleTimeoutSec,
    ...commandOf(spec, name),
    input: spec.input ?? null,
    env: spec.env ?? NO_ENV,
    timeoutSec,
    stopSignals: validateStopSignals(spec.stopSignals ?? DEFAULTS.stopSignals, name),
    logPath: resolveInside(logDir, `${name}.log`),
    needs: spec.needs ?? NO_NEEDS,
    after: spec.after ?? NO_NEEDS,
    cwd: spec.cwd ?? null,
    inputs: spec.inputs ?? NO_NEEDS,
    outputs: spec.outputs ?? NO_NEEDS,
    ...(spec.sideFiles === undefined ? {} : { sideFiles: spec.sideFiles }),
    runsOn: spec.runsOn ?? NO_NEEDS,
    attempt: validateAttempt(spec.attempt ?? 1, name),
    manifestFields: spec.manifestFields ?? NO_FIELDS,
    evaluate: spec.evaluate ?? null,
    watch: spec.watch ?? null,
    startKey: spec.startKey ?? null,
    agent: spec.agent ?? null,
    spending: spec.spending ?? NO_SPENDING,
  };
}

function validateAttempt(attempt: number, name: string): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new UsageError(
      `the attempt number of job ${name} must be a whole number from 1; got ${attempt}`,
      'attempts are counted from 1 in the manifest',
      'leave it out for a first attempt',
    );
  }
  return attempt;
}

function commandOf(spec: JobSpec, name: string): Pick<PlannedJob, 'argv' | 'command'> {
  if (typeof spec.command === 'string' && spec.argv === undefined) {
    if (spec.command.trim() === '') {
      throw new UsageError(
        `job ${name} has an empty command`,
        'an empty command line would run nothing and report success',
        'give the command to run, e.g. "npm test"',
      );
    }
    return { argv: [DEFAULTS.shell, '-c', spec.command], command: spec.command };
  }
  const [file, ...args] = spec.argv ?? [];
  if (spec.command !== undefined || file === undefined || file === '') {
    throw new UsageError(
      `job ${name} needs exactly one of "command" (a shell line) and "argv" (a program and its arguments)`,
      spec.command === undefined ? 'it has neither, or an empty argv' : 'it has both',
      'keep one of the two',
    );
  }
  return { argv: [file, ...args], command: [file, ...args].join(' ') };
}

function validateStopSignals(
  signals: readonly NodeJS.Signals[],
  name: string,
): readonly NodeJS.Signals[] {
  if (signals.length === 0 || signals.at(-1) !== 'SIGKILL') {
    throw new UsageError(
      `the stop signals of job ${name} must end with SIGKILL; got ${JSON.stringify(signals)}`,
      'only SIGKILL cannot be ignored, so without it a stopped job could run forever',
      'end the list with "SIGKILL", e.g. ["SIGTERM", "SIGKILL"]',
    );
  }
  return signals;
}
