// Finding test processes by a unique marker in their environment, to prove nothing survived.

import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

/** A fresh marker value; put it in a job's environment as PAREX_TEST_MARKER. */
export function newMarker(): string {
  return `parex-test-${randomUUID()}`;
}

/** Pids of living (not zombie) processes for which `matches(pid)` holds. */
export function livingWhere(matches: (pid: string) => boolean): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      if (state === 'Z' || state === 'X') continue;
      if (matches(entry)) found.push(Number(entry));
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  return found;
}

/** Pids of living (not zombie) processes whose environment holds `marker`. */
export function livingWithMarker(marker: string): number[] {
  return livingWhere((pid) => readFileSync(`/proc/${pid}/environ`, 'utf8').includes(marker));
}

/** A fresh marker whose processes are killed when the test ends, whatever its outcome. */
export function killedAfter(t: { after: (fn: () => void) => void }): string {
  const marker = newMarker();
  t.after(() => killMarked(marker));
  return marker;
}

/** Kills processes left by a failed test so that they do not outlive the suite. */
export function killMarked(marker: string): void {
  for (const pid of livingWithMarker(marker)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
