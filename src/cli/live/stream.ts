// The `stream` output mode: every line each job writes, as it comes, prefixed with "[NAME] ".
// Each job's log is followed a bounded piece at a time; lines are written whole, one job's line
// never inside another's; an unfinished line is written after a second of silence or at the
// job's end.
import pc from 'picocolors';

import { LogFollower } from '../../journal/log-follow.js';
import type { GroupEvent } from '../../model.js';

/** How often the logs are read. */
const POLL_MS = 50;
/** Silence after which an unfinished line is written as it is. */
const PARTIAL_FLUSH_MS = 1000;
/** Bytes read from one log per poll, at most. */
const READ_PER_POLL = 1024 * 1024;

interface Followed {
  readonly follower: LogFollower;
  readonly prefix: string;
  lastData: number;
  ended: boolean;
}

/** What the session drives: the events, and the end of the run. */
export interface StreamOutput {
  onEvent(event: GroupEvent): void;
  /** Writes what is left of every log and stops following. */
  finish(): void;
}

/** Streams the jobs' lines to `write` (stdout); `colour` gives each job's prefix a colour. */
export function streamOutput(
  write: (text: string) => void,
  colour: boolean,
  redact: (text: string) => string,
): StreamOutput {
  const colours = pc.createColors(colour);
  const cycle = [colours.cyan, colours.magenta, colours.yellow, colours.blue, colours.green];
  const followed = new Map<string, Followed>();
  let seen = 0;
  const pump = (job: Followed, now: number, maxBytes: number): boolean => {
    const before = job.follower.bytesRead;
    const lines = job.follower.readLines(maxBytes);
    if (job.follower.bytesRead > before) job.lastData = now;
    if ((job.ended || now - job.lastData >= PARTIAL_FLUSH_MS) && job.follower.hasPartial) {
      lines.push(job.follower.takePartial() ?? '');
    }
    if (lines.length > 0) write(lines.map((line) => `${job.prefix}${redact(line)}\n`).join(''));
    return lines.length > 0;
  };
  const poll = () => {
    const now = Date.now();
    for (const [logPath, job] of followed) {
      const more = pump(job, now, READ_PER_POLL);
      if (job.ended && !more) {
        job.follower.close();
        followed.delete(logPath);
      }
    }
  };
  const timer = setInterval(poll, POLL_MS);
  timer.unref();
  return {
    onEvent: (event) => {
      if (event.type === 'job-start') {
        const paint = cycle[seen % cycle.length] ?? colours.cyan;
        seen += 1;
        followed.set(event.logPath, {
          follower: new LogFollower(event.logPath),
          prefix: paint(`[${event.name}] `),
          lastData: Date.now(),
          ended: false,
        });
      } else if (event.type === 'job-end') {
        const job = followed.get(event.result.logPath);
        if (job !== undefined) job.ended = true;
      }
    },
    finish: () => {
      clearInterval(timer);
      for (const job of followed.values()) {
        job.ended = true;
        while (pump(job, Date.now(), READ_PER_POLL)) {}
        job.follower.close();
      }
      followed.clear();
    },
  };
}
