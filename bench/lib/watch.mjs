// Watching /proc for the job processes of one run: those whose environment holds its marker.
import { readdirSync, readFileSync } from 'node:fs';

import { realNow } from './measure.mjs';

const POLL_MS = 5;
/** Programs the jobs run; a marked process with another name is a tool, not a job. */
const JOB_PROGRAMS = new Set(['sh', 'dash', 'bash', 'sleep', 'timeout', 'date', 'head', 'true']);

/** Watches /proc for the job processes of one run (those whose environment holds the mark). */
export class JobWatcher {
  constructor(mark) {
    this.needle = `PXB_MARK=${mark}\0`;
    this.marked = new Map();
    this.lastSeenMs = null;
    this.goneMs = null;
  }

  start() {
    this.timer = setInterval(() => this.poll(), POLL_MS);
  }

  poll() {
    const now = realNow();
    const alive = this.living();
    if (alive.length > 0) {
      this.lastSeenMs = now;
      this.goneMs = null;
    } else if (this.lastSeenMs !== null && this.goneMs === null) this.goneMs = now;
    return alive;
  }

  async finish(exitMs) {
    const capMs = exitMs + 5_000;
    let survivors = null;
    while (realNow() < capMs) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const alive = this.poll();
      if (survivors === null && realNow() >= exitMs + 200) survivors = alive.length;
      if (survivors !== null && alive.length === 0) break;
    }
    clearInterval(this.timer);
    const left = this.living();
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
    return {
      lastSeenMs: this.lastSeenMs,
      goneMs: this.goneMs,
      survivors,
      killedAfter: left.length,
    };
  }

  living() {
    const alive = [];
    const present = new Set();
    for (const entry of readdirSync('/proc')) {
      const code = entry.charCodeAt(0);
      if (code < 48 || code > 57) continue;
      present.add(entry);
      let isMarked = this.marked.get(entry);
      if (isMarked === undefined) {
        const environ = readText(`/proc/${entry}/environ`);
        isMarked = environ.includes(this.needle);
        if (environ !== '') this.marked.set(entry, isMarked); // empty: caught mid-exec, read again
      }
      if (isMarked && isLivingJob(entry)) alive.push(Number(entry));
    }
    for (const pid of this.marked.keys()) if (!present.has(pid)) this.marked.delete(pid);
    return alive;
  }
}

function isLivingJob(pid) {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === '') return false;
  const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return JOB_PROGRAMS.has(name) && state !== 'Z' && state !== 'X';
}

function readText(file) {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return '';
  }
}
