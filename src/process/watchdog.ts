// The watchdog of a run without a fork server (which is a watchdog too, see fork-server/script.ts):
// a tiny shell process that outlives parex. parex tells it "watch PGID" and "forget PGID" for the
// groups of the jobs it spawns, and "done" when the run ends. If parex dies without saying
// "done" (SIGKILL, a crash), the pipe closes, and the watchdog stops the watched groups and every
// other process that carries the run's marker: SIGTERM, then SIGKILL a second later.
import { type ChildProcess, spawn } from 'node:child_process';

import { RUN_MARKER } from './terminate/sweep.js';

const SCRIPT = `
run=$1
groups=
while IFS=' ' read -r word group; do
  case $word in
    done) exit 0 ;;
    watch) groups="$groups $group" ;;
    forget) kept=; for g in $groups; do [ "$g" = "$group" ] || kept="$kept $g"; done; groups=$kept ;;
  esac
done
marked() { grep -lzxF "${RUN_MARKER}=$run" /proc/[0-9]*/environ 2>/dev/null | sed 's#^/proc/\\([0-9]*\\)/environ$#\\1#'; }
outside() {
  for pid in $(marked); do
    read -r stat < /proc/$pid/stat 2>/dev/null || continue
    set -- \${stat##*) }
    [ -n "$3" ] || { echo "$pid"; continue; }
    case " $groups " in *" $3 "*) ;; *) echo "$pid" ;; esac
  done
}
stop() {
  for g in $groups; do kill -s "$1" -- "-$g" 2>/dev/null; done
  pids=$(outside); [ -n "$pids" ] && kill -s "$1" $pids 2>/dev/null
}
stop TERM
sleep 1
stop KILL
exit 0
`;

/** A running watchdog: it learns the groups to stop, and `release` ends it. */
export interface Watchdog {
  watch(pgid: number): void;
  forget(pgid: number): void;
  /** Tells it that the run ended normally. */
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
    return { watch: () => {}, forget: () => {}, release: () => {} };
  }
  child.on('error', () => {});
  child.stdin?.on('error', () => {});
  child.unref();
  // The pipe must not keep parex alive either.
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  const say = (line: string) => child.stdin?.write(`${line}\n`);
  return {
    watch: (pgid) => say(`watch ${pgid}`),
    forget: (pgid) => say(`forget ${pgid}`),
    release: () => {
      child.stdin?.end('done\n');
    },
  };
}
