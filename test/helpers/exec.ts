// Helpers for end-to-end tests of parex exec: a clean environment, typed access to manifest
// lines, starting the CLI to signal it, waiting for progress lines, and interval overlaps.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { type CliOptions, type CliRun, runCli } from './cli.js';
import { livingWithMarker } from './processes.js';

/** A parsed manifest line. */
export type Line = Record<string, unknown>;

/** ISO 8601 UTC with whole seconds, as the original tool wrote `timestamp`. */
export const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
/** ISO 8601 UTC with milliseconds, as in `started_at` and `ended_at`. */
export const ISO_MILLIS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * The environment for a parex run: every PAREX_* variable of the outer environment removed
 * (spawn drops undefined values), the test marker that the jobs inherit, then `extra`.
 */
export function parexEnv(
  marker: string | null,
  extra: Readonly<Record<string, string>> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('PAREX_')) env[key] = undefined;
  }
  if (marker !== null) env.PAREX_TEST_MARKER = marker;
  return { ...env, ...extra };
}

/** The run id announced in parex's first progress line. */
export function runIdOf(stderr: string): string {
  const match = /^\[parex\] run (\S+): /m.exec(stderr);
  assert.ok(match?.[1] !== undefined, `no run line in stderr:\n${stderr}`);
  return match[1];
}

/** The start lines of a manifest. */
export function startLines(lines: readonly Line[]): Line[] {
  return lines.filter((line) => line.status === 'started');
}

/** The completion lines of a manifest. */
export function endLines(lines: readonly Line[]): Line[] {
  return lines.filter((line) => line.status !== 'started');
}

/** The one line among `lines` for job `phase`; fails when there is none or more than one. */
export function onlyLineOf(lines: readonly Line[], phase: string): Line {
  const found = lines.filter((line) => line.phase === phase);
  assert.equal(found.length, 1, `expected one line for ${phase}, got ${JSON.stringify(found)}`);
  return found[0] as Line;
}

/** A field that must be a string. */
export function text(line: Line, key: string): string {
  const value = line[key];
  assert.equal(typeof value, 'string', `${key} is not a string in ${JSON.stringify(line)}`);
  return value as string;
}

/** A field that must be a finite number. */
export function num(line: Line, key: string): number {
  const value = line[key];
  assert.ok(
    typeof value === 'number' && Number.isFinite(value),
    `${key} is not a number in ${JSON.stringify(line)}`,
  );
  return value;
}

/** Fails unless no process carrying `marker` in its environment is alive. */
export function assertNothingAlive(marker: string): void {
  assert.deepEqual(livingWithMarker(marker), [], 'processes of the test are still alive');
}

/** A CLI run in progress: the child, to signal it, and the promise of its end. */
export interface StartedCli {
  readonly child: ChildProcess;
  readonly done: Promise<CliRun>;
}

/** Starts `parex ARGS...` and returns at once with the child process. */
export function startCli(args: readonly string[], options: CliOptions): StartedCli {
  const box: { child?: ChildProcess } = {};
  const done = runCli(args, {
    ...options,
    onSpawn: (child) => {
      box.child = child;
      options.onSpawn?.(child);
    },
  });
  const { child } = box;
  assert.ok(child !== undefined, 'runCli did not report the spawned child');
  return { child, done };
}

/** Resolves once `needle` has appeared `count` times on the child's stderr. */
export function waitForStderrCount(
  child: ChildProcess,
  needle: string,
  count: number,
  limitMs = 20_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer | string) => {
      seen += chunk.toString();
      if (seen.split(needle).length - 1 >= count) {
        clearTimeout(timer);
        child.stderr?.off('data', onData);
        resolve();
      }
    };
    const timer = setTimeout(() => {
      child.stderr?.off('data', onData);
      reject(new Error(`"${needle}" not seen ${count} times in:\n${seen}`));
    }, limitMs);
    child.stderr?.on('data', onData);
  });
}

/** A span of time; `end` is exclusive, so a span ending when another starts does not overlap it. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** The largest number of intervals that cover one instant. */
export function maxOverlap(intervals: readonly Interval[]): number {
  const events: [number, number][] = [];
  for (const { start, end } of intervals) {
    assert.ok(end >= start, `interval ends before it starts: ${start}..${end}`);
    events.push([start, 1], [end, -1]);
  }
  // At equal times, ends come before starts (half-open intervals).
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let most = 0;
  for (const [, delta] of events) {
    current += delta;
    most = Math.max(most, current);
  }
  return most;
}

/** The peak resident set size (VmHWM) of process `pid` in bytes, or null once it is gone. */
/**
 * Waits for `done` while reading the peak RSS of process `pid` every 20 ms; resolves with the
 * run and the last reading (null when none was taken).
 */
export async function withPeakRss<T>(
  pid: number,
  done: Promise<T>,
): Promise<{ run: T; peak: number | null }> {
  let peak: number | null = null;
  const poll = setInterval(() => {
    peak = peakRssBytes(pid) ?? peak;
  }, 20);
  try {
    return { run: await done, peak };
  } finally {
    clearInterval(poll);
  }
}

export function peakRssBytes(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    return match?.[1] === undefined ? null : Number(match[1]) * 1024;
  } catch {
    return null;
  }
}
