// Helpers of the fault-injection suite: proving that nothing survived a run (by marker, and the
// run's watchdog by its command line), that the manifest has only whole lines, and reading what
// `parex status` says about a run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { type CliRun, runCli } from './cli.js';
import { type Line, parexEnv } from './exec.js';
import { livingWhere, livingWithMarker } from './processes.js';

/** The pids and command lines of `pids`, for failure messages. */
export function describePids(pids: readonly number[]): string {
  return pids.map((pid) => `${pid}: ${commandLine(pid) || '(gone)'}`).join('\n');
}

/**
 * How long the processes of a stopped run may take to be gone: generous for a loaded 2-core
 * machine (a 1 s grace plus scheduling), yet far short of the 20-30 s that the tests' jobs
 * would live, or the 20 s grace they set, if nothing stopped them or the grace were not cut.
 */
export const GONE_WITHIN_MS = 10_000;

/**
 * Waits until no living process carries `marker`; resolves with how long that took (ms) and
 * fails, naming the survivors, after `limitMs`.
 */
export async function waitUntilNoneMarked(marker: string, limitMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const alive = livingWithMarker(marker);
    const elapsed = performance.now() - started;
    if (alive.length === 0) return elapsed;
    if (elapsed > limitMs)
      assert.fail(
        `still alive ${Math.round(elapsed)} ms later (limit ${limitMs} ms):\n${describePids(alive)}`,
      );
    await sleep(25);
  }
}

/** The command line of `pid`, its arguments joined with spaces; empty once it is gone. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/**
 * Waits until at least `count` living processes carry `marker` (only those whose command line
 * is exactly `command`, e.g. "sleep 30", when given); fails after `limitMs`.
 */
export async function waitForMarked(
  marker: string,
  count: number,
  command: string | null = null,
  limitMs = 10_000,
): Promise<void> {
  const deadline = performance.now() + limitMs;
  for (;;) {
    const alive = livingWithMarker(marker);
    if (alive.filter((pid) => command === null || commandLine(pid) === command).length >= count)
      return;
    if (performance.now() > deadline)
      assert.fail(
        `fewer than ${count} marked processes running "${command}":\n${describePids(alive)}`,
      );
    await sleep(20);
  }
}

/** Fails unless no process carries `marker` right now, naming the survivors. */
export function assertNoneMarked(marker: string): void {
  const alive = livingWithMarker(marker);
  assert.deepEqual(alive, [], `orphaned processes:\n${describePids(alive)}`);
}

/** Living processes whose command line names the watchdog of run `runId`. */
export function watchdogsOf(runId: string): number[] {
  return livingWhere((pid) => {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.includes('parex-watchdog') && args.includes(runId);
  });
}

/** Waits until the watchdog of `runId` is gone; fails after `limitMs`. */
export async function waitUntilWatchdogGone(
  runId: string,
  limitMs = GONE_WITHIN_MS,
): Promise<void> {
  const deadline = performance.now() + limitMs;
  for (;;) {
    const alive = watchdogsOf(runId);
    if (alive.length === 0) return;
    if (performance.now() > deadline)
      assert.fail(`the watchdog of run ${runId} is still alive:\n${describePids(alive)}`);
    await sleep(25);
  }
}

/**
 * Reads a manifest and fails unless it is whole: it ends with a newline, and every line is a
 * JSON object with a phase and a status. Returns the parsed lines.
 */
export function wholeManifest(file: string): Line[] {
  const raw = readFileSync(file, 'utf8');
  assert.ok(raw.length > 0, `${file} is empty`);
  assert.ok(
    raw.endsWith('\n'),
    `${file} ends with a torn line: ${JSON.stringify(raw.slice(-200))}`,
  );
  return raw
    .slice(0, -1)
    .split('\n')
    .map((line, index) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        assert.fail(`line ${index + 1} of ${file} is not JSON: ${JSON.stringify(line)}`);
      }
      assert.ok(
        typeof value === 'object' && value !== null && !Array.isArray(value),
        `line ${index + 1} is not an object: ${line}`,
      );
      const record = value as Line;
      assert.equal(typeof record.phase, 'string', `line ${index + 1} has no phase: ${line}`);
      assert.equal(typeof record.status, 'string', `line ${index + 1} has no status: ${line}`);
      return record;
    });
}

/** `parex status --log-dir LOG_DIR --json`, parsed (one object per job); fails unless it exits 0. */
export async function statusJson(
  cwd: string,
  logDir: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Line[]> {
  const run = await runCli(['status', '--log-dir', logDir, '--json'], { cwd, env });
  assert.equal(run.code, 0, run.stderr);
  return run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Line);
}

/** The pid of a process that has ended (and been reaped). */
export function deadPid(): number {
  const done = spawnSync('/bin/true');
  assert.ok(done.pid !== undefined && done.pid > 0, 'could not start /bin/true');
  return done.pid;
}

/** The start time of `pid` in clock ticks since boot (field 22 of /proc/PID/stat). */
export function startTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after the command name start at field 3 (state); field 22 is at index 19.
  return Number(fields[19]);
}

/** Writes a workflow file (lines joined) into `dir` and returns its name. */
export function writeWorkflow(dir: string, lines: readonly string[], name = 'flow.yaml'): string {
  writeFileSync(path.join(dir, name), `${lines.join('\n')}\n`);
  return name;
}

/** Runs chattr with `args`; true when it worked. */
export function chattr(...args: string[]): boolean {
  const done = spawnSync('chattr', args, { stdio: 'ignore' });
  return done.status === 0;
}

/** Whether `chattr +i` works in `parent` (it needs root and a file system that supports it). */
export function immutableWorks(parent: string): boolean {
  const probe = mkdtempSync(path.join(parent, 'chattr-probe-'));
  try {
    if (!chattr('+i', probe)) return false;
    chattr('-i', probe);
    return true;
  } finally {
    rmdirSync(probe);
  }
}

/** A shell line that waits (up to 20 s) until the sleeper's start line is in `logDir`'s manifest:
 * a loaded machine writes it late, and a fault must come while the sleeper is on record. */
export function afterSleeperStarted(logDir: string): string {
  return `for i in $(seq 400); do grep -q '"phase":"sleeper"' ${logDir}/manifest.jsonl && break; sleep 0.05; done`;
}

/**
 * Runs `parex exec -j 2 --timeout 60 --kill-after 1` into `logDir` of a sleeper (`sleep 30`, or `sleeper`)
 * followed by `jobs` (name and command), with `marker` in their environment; resolves with
 * the run and how long it took (ms).
 */
export async function execBesideSleeper(
  logDir: string,
  jobs: readonly (readonly [string, string])[],
  cwd: string,
  marker: string,
  sleeper = 'sleep 30',
): Promise<{ run: CliRun; elapsed: number }> {
  const names = ['sleeper', ...jobs.map(([name]) => name)];
  const started = performance.now();
  const run = await runCli(
    [
      'exec',
      '-j',
      '2',
      '--timeout',
      '60',
      '--kill-after',
      '1',
      '--names',
      names.join(','),
      '--log-dir',
      logDir,
      '--',
      sleeper,
      ...jobs.map(([, command]) => command),
    ],
    { cwd, env: parexEnv(marker) },
  );
  return { run, elapsed: performance.now() - started };
}

/**
 * What a run stopped by a failed manifest write must show: exit 1, soon (the sleeper stopped,
 * not waited for), nothing left running, `error` on stderr, and every job of `names` in the
 * summary (as a result, or as not started), the sleeper cancelled by SIGTERM.
 */
export function assertStoppedByFault(
  stopped: { run: CliRun; elapsed: number },
  marker: string,
  names: readonly string[],
  error: RegExp,
): void {
  const { run, elapsed } = stopped;
  assert.equal(run.code, 1, run.stderr);
  assert.ok(elapsed < 25_000, `the sleeper was not stopped: ${Math.round(elapsed)} ms`);
  assertNoneMarked(marker);
  assert.match(run.stderr, error);
  for (const name of names)
    assert.match(run.stderr, new RegExp(`^ {2}${name} +.+? {2}[A-Z]{3,}`, 'm'));
  assert.match(
    run.stderr,
    /^ {2}sleeper +(?:echo working; )?sleep 30 +CANCELLED \(stopped with SIGTERM\)/m,
  );
  assert.match(run.stderr, /NOT STARTED \(run cancelled\)/);
}

/** Mounts a tmpfs of `size` at a new directory, unmounted after the test; null if impossible. */
export function smallDisk(t: TestContext, size: string): string | null {
  const mountPoint = mkdtempSync(path.join(tmpdir(), 'parex-disk-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint]);
  t.after(() => {
    if (mounted.status === 0) spawnSync('umount', ['-l', mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });
  return mounted.status === 0 ? mountPoint : null;
}
