// Measurement: run one tool invocation and time it, its peak RSS, and the job processes it left.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

import { JobWatcher } from './watch.mjs';

const TIME_BIN = '/usr/bin/time';

/** Process groups of the tools being measured right now. */
const activeGroups = new Set();

/** Kills every tool being measured (when the harness is interrupted). */
export function killActiveGroups() {
  for (const pid of activeGroups) killGroup(pid);
}

/** Wall-clock milliseconds (CLOCK_REALTIME, like `date +%s%N`), with sub-millisecond precision. */
export const realNow = () => performance.timeOrigin + performance.now();

/** The median of the finite numbers in `values`, or null when there is none. */
export function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  sorted.sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** True when GNU time is there to report the peak RSS of a process tree exactly. */
export function hasGnuTime() {
  if (!existsSync(TIME_BIN)) return false;
  return spawnSync(TIME_BIN, ['-f', '%M', 'true'], { stdio: 'ignore' }).status === 0;
}

/**
 * Runs `file args` in its own process group, stdout+stderr to `outPath`, and resolves with
 * { startMs, exitMs, wallMs, exitCode, signal, rssKb, overLimit, jobs } where `jobs` (when `mark`
 * is given) says when the last job process carrying PXB_MARK=mark was gone, and how many
 * were still alive 200 ms after the tool exited.
 */
export async function measureRun(spec) {
  const { file, args, cwd, env, stdin, outPath, limitMs, mark, rssPath } = spec;
  const wrapped = rssPath !== undefined;
  const [command, argv] = wrapped
    ? [TIME_BIN, ['-f', '%M', '-o', rssPath, file, ...args]]
    : [file, args];
  const watcher = mark === undefined ? null : new JobWatcher(mark);
  watcher?.start();
  const out = openSync(outPath, 'w');
  const startMs = realNow();
  const child = spawn(command, argv, {
    cwd,
    env,
    detached: true,
    stdio: [stdin === undefined ? 'ignore' : 'pipe', out, out],
  });
  closeSync(out);
  activeGroups.add(child.pid);
  if (stdin !== undefined) {
    child.stdin.on('error', () => {});
    child.stdin.end(stdin);
  }
  const hwm = wrapped ? null : pollPeakRss(child.pid);
  const { code, signal, overLimit } = await waitExit(child, limitMs);
  const exitMs = realNow();
  hwm?.stop();
  let jobs = null;
  if (watcher !== null) jobs = await watcher.finish(exitMs);
  killGroup(child.pid);
  activeGroups.delete(child.pid);
  const rssKb = wrapped ? readRss(rssPath) : (hwm?.peakKb ?? null);
  return {
    startMs,
    exitMs,
    wallMs: exitMs - startMs,
    exitCode: code,
    signal,
    overLimit,
    rssKb,
    jobs,
  };
}

function waitExit(child, limitMs) {
  return new Promise((resolve) => {
    let overLimit = false;
    const timer = setTimeout(() => {
      overLimit = true;
      killGroup(child.pid);
    }, limitMs);
    child.once('error', () => resolve({ code: null, signal: null, overLimit: true }));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, overLimit });
    });
  });
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function readRss(rssPath) {
  try {
    const value = Number.parseInt(readFileSync(rssPath, 'utf8').trim().split('\n').at(-1), 10);
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

/** Without GNU time: reads VmHWM from /proc/PID/status every 10 ms while the process runs. */
function pollPeakRss(pid) {
  const state = { peakKb: null, stop: () => clearInterval(timer) };
  const timer = setInterval(() => {
    try {
      const match = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) state.peakKb = Math.max(state.peakKb ?? 0, Number(match[1]));
    } catch {
      // Exited between two polls.
    }
  }, 10);
  return state;
}
