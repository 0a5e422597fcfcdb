// The checks of parex selftest: what this host must do for parex's promises to hold.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { runGroup } from '../engine/run-group.js';
import { readManifest } from '../journal/reader.js';
import type { GroupOptions } from '../options/normalize.js';
import { isProcessAlive } from '../process/proc-table.js';
import { formatDuration } from '../report/format.js';

/** One check: a name, and a run that returns a detail line or throws a failure. */
export interface Check {
  readonly name: string;
  readonly run: (dir: string) => Promise<string>;
}

/** Thrown by a check that did not pass. */
export class CheckFailed extends Error {}

function expect(condition: boolean, message: string): void {
  if (!condition) throw new CheckFailed(message);
}

function group(dir: string, name: string, options: Omit<GroupOptions, 'logDir' | 'cwd'>) {
  return runGroup({ ...options, logDir: path.join(dir, name), cwd: dir, group: name });
}

/** Three 2 s jobs take about 2 s, not 6. */
export const parallelTiming: Check = {
  name: 'three 2s jobs run at once (about 2s, not 6)',
  run: async (dir) => {
    const result = await group(dir, 'timing', { jobs: ['sleep 2', 'sleep 2', 'sleep 2'] });
    const { wallMs, sumMs, speedup } = result.speedup;
    expect(result.ok, 'a sleep job did not succeed');
    expect(wallMs < 3500, `wall time ${formatDuration(wallMs)}: the jobs did not overlap`);
    for (const job of result.results) {
      expect(job.durationMs >= 1900, `${job.name} took ${job.durationMs} ms, under its 2 s sleep`);
    }
    return `wall ${formatDuration(wallMs)}, sum ${formatDuration(sumMs)}, speedup ${speedup.toFixed(2)}x`;
  },
};

/** Exit codes 0, 1, 0 come back exactly, and the manifest parses. */
export const exitCodes: Check = {
  name: 'exit codes 0/1/0 are captured exactly, and the manifest parses',
  run: async (dir) => {
    const result = await group(dir, 'codes', { jobs: ['exit 0', 'exit 1', 'true'] });
    const codes = result.results.map((job) => job.exitCode).join('/');
    expect(codes === '0/1/0', `got exit codes ${codes}`);
    const { entries, badLines } = readManifest(result.manifestPath);
    expect(badLines.length === 0, `manifest lines ${badLines.join(', ')} do not parse`);
    expect(entries.length === 6, `expected 6 manifest lines, found ${entries.length}`);
    return `codes ${codes}; ${entries.length} manifest lines parse`;
  },
};

/** A job that ignores SIGTERM is killed after the grace and reported as such. */
export const ignoresTerm: Check = {
  name: 'a job ignoring SIGTERM is killed after the grace',
  run: async (dir) => {
    const result = await group(dir, 'ignore-term', {
      jobs: ["trap '' TERM; sleep 30"],
      timeoutSec: 0.5,
      killAfterSec: 0.5,
    });
    const [job] = result.results;
    expect(job?.outcome === 'killed', `outcome ${job?.outcome}, expected killed`);
    expect(job?.exitCode === 137, `exit code ${job?.exitCode}, expected 137`);
    return `outcome killed, exit 137, signals ${job?.signalsSent.join(' then ')}`;
  },
};

/** After a timeout, the job's grandchild is gone too. */
export const grandchildGone: Check = {
  name: 'a grandchild is gone after a timeout',
  run: async (dir) => {
    const pidFile = path.join(dir, 'grandchild.pid');
    const result = await group(dir, 'grandchild', {
      jobs: [`sh -c 'sleep 30 & echo $! > "${pidFile}"; wait'`],
      timeoutSec: 0.5,
      killAfterSec: 1,
    });
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    expect(result.results[0]?.outcome === 'timeout', 'the job did not time out');
    expect(pid > 0 && !isProcessAlive(pid), `grandchild ${pid} is still alive`);
    return `grandchild ${pid} gone`;
  },
};

/** Jobs get /dev/null as stdin, so a job that reads stdin sees EOF at once. */
export const stdinClosed: Check = {
  name: 'stdin is /dev/null (a job reading stdin gets EOF, not a hang)',
  run: async (dir) => {
    const result = await group(dir, 'stdin', {
      jobs: ['if read line; then exit 3; fi'],
      timeoutSec: 5,
    });
    expect(result.results[0]?.outcome === 'success', `outcome ${result.results[0]?.outcome}`);
    return 'read got EOF';
  },
};

/** Every check, the timing one first so that the others do not load the machine under it. */
export const ALL_CHECKS: readonly Check[] = [
  parallelTiming,
  exitCodes,
  ignoresTerm,
  grandchildGone,
  stdinClosed,
];
