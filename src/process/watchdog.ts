// The watchdog of a run without a fork server (which is a watchdog too, see fork-server/script.ts):
// a tiny shell process that outlives parex. If parex dies without saying "done" (SIGKILL, a
// crash), its pipe closes, and the watchdog stops every process that carries the run's marker:
// SIGTERM, then SIGKILL a second later.
import { type ChildProcess, spawn } from 'node:child_process';

import { RUN_MARKER } from './terminate/sweep.js';

const SCRIPT = `
run=$1
while IFS= read -r line; do [ "$line" = done ] && exit 0; done
marked() { grep -lzxF "${RUN_MARKER}=$run" /proc/[0-9]*/environ 2>/dev/null | sed 's#^/proc/\\([0-9]*\\)/environ$#\\1#'; }
pids=$(marked); [ -n "$pids" ] && kill -TERM $pids 2>/dev/null
sleep 1
pids=$(marked); [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
exit 0
`;

/** A running watchdog; `release` tells it the run ended normally. */
export interface Watchdog {
  release(): void;
}

/** Starts the watchdog of a run, in a session of its own so that no terminal signal reaches it. */
export function startWatchdog(runId: string): Watchdog {
  let child: ChildProcess;
  try {
    child = spawn('/bin/sh', ['-c', SCRIPT, 'parex-watchdog', runId], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
  } catch {
    return { release: () => {} };
  }
  child.on('error', () => {});
  child.stdin?.on('error', () => {});
  child.unref();
  // The pipe must not keep parex alive either.
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    release: () => {
      child.stdin?.end('done\n');
    },
  };
}
