// Events and results for tests of the live view and the summary, without running anything.
import type { GroupEvent } from '../../src/model/events.js';
import type { JobResult } from '../../src/model/result.js';
import type { Palette } from '../../src/report/live-frame.js';

const plain = (text: string) => text;
/** A palette that colours nothing. */
export const NO_COLOR: Palette = {
  green: plain,
  red: plain,
  yellow: plain,
  cyan: plain,
  dim: plain,
  bold: plain,
};
/** The time the test runs start at. */
export const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

/** A finished job's result: 1.5 s, log /logs/NAME.log; `extra` overrides any field. */
export function result(
  name: string,
  outcome: JobResult['outcome'],
  extra: Partial<JobResult> = {},
): JobResult {
  return {
    name,
    command: 'x',
    outcome,
    exitCode: outcome === 'success' ? 0 : 3,
    signal: null,
    pid: 10,
    startedAt: new Date(T0),
    endedAt: new Date(T0 + 1500),
    durationMs: 1500,
    logPath: `/logs/${name}.log`,
    stopReason: null,
    signalsSent: [],
    timeoutSec: 600,
    idleTimeoutSec: 0,
    killAfterSec: 5,
    reapedLeftovers: false,
    errorMessage: null,
    reason: null,
    attempt: 1,
    details: {},
    ...extra,
  };
}

/** A run-start event for `names`. */
export function runStart(
  names: readonly string[],
  concurrency: number,
  needs: Readonly<Record<string, readonly string[]>> = {},
): GroupEvent {
  return {
    type: 'run-start',
    runId: 'r1',
    logDir: '/logs',
    jobs: names.length,
    names,
    needs,
    concurrency,
  };
}

/** A job-start event at `at`. */
export function jobStart(name: string, pid: number, at: number): GroupEvent {
  return {
    type: 'job-start',
    name,
    pid,
    command: 'x',
    startedAt: new Date(at),
    logPath: `/logs/${name}.log`,
    attempt: 1,
    timeoutSec: 600,
    fields: {},
  };
}
