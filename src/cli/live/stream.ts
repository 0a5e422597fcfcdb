// The `stream` output mode: every line each job writes, as it comes, prefixed with "[NAME] ".
// Each job's log is followed a bounded piece at a time and nothing more is read while stdout
// is full, so memory stays flat whatever the jobs print. Lines are written whole, one job's
// line never inside another's; an unfinished line is written after a second of silence or at
// the job's end.
import pc from 'picocolors';

import { LogFollower } from '../../journal/log-follow.js';
import type { GroupEvent } from '../../model.js';

/** How often the logs are read when they are quiet. */
const POLL_MS = 50;
/** Silence after which an unfinished line is written as it is. */
const PARTIAL_FLUSH_MS = 1000;
/** Bytes read from one log in one go, at most. */
const READ_BYTES = 256 * 1024;

interface Followed {
  readonly follower: LogFollower;
  readonly prefix: string;
  lastData: number;
  ended: boolean;
}

/** Where the lines go: `write` says false when the stream is full, `drained` waits for room. */
export interface LineSink {
  write(text: string): boolean;
  drained(): Promise<void>;
}

/** What the session drives: the events, and the end of the run. */
export interface StreamOutput {
  onEvent(event: GroupEvent): void;
  /** Writes what is left of every log, then stops following. */
  finish(): Promise<void>;
}

/** Streams the jobs' lines to `sink` (stdout); `colour` gives each job's prefix a colour. */
export function streamOutput(
  sink: LineSink,
  colour: boolean,
  redact: (text: string) => string,
): StreamOutput {
  const colours = pc.createColors(colour);
  const cycle = [colours.cyan, colours.magenta, colours.yellow, colours.blue, colours.green];
  const followed = new Map<string, Followed>();
  let seen = 0;
  let stopping = false;
  /** Writes what one read of the job's log gives; false when the sink is full. */
  const pump = (job: Followed, now: number): boolean => {
    const before = job.follower.bytesRead;
    const lines = job.follower.readLines(READ_BYTES);
    if (job.follower.bytesRead > before) job.lastData = now;
    const silent = job.ended ? job.follower.atEnd : now - job.lastData >= PARTIAL_FLUSH_MS;
    if (silent && job.follower.hasPartial) lines.push(job.follower.takePartial() ?? '');
    if (lines.length === 0) return true;
    return sink.write(redact(`${job.prefix}${lines.join(`\n${job.prefix}`)}\n`));
  };
  /** Reads every log once; true when some log had more to give. */
  const round = async (): Promise<boolean> => {
    let busy = false;
    for (const [logPath, job] of followed) {
      if (!pump(job, Date.now())) await sink.drained();
      if (!job.follower.atEnd) busy = true;
      else if (job.ended) {
        job.follower.close();
        followed.delete(logPath);
      }
    }
    return busy;
  };
  // Between two rounds, a pause that does not keep parex alive, cut short by the run's end.
  let wake = () => {};
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, POLL_MS);
      timer.unref();
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const loop = (async () => {
    while (!stopping || followed.size > 0) {
      if (!(await round()) && !stopping) await pause();
    }
  })();
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
    finish: async () => {
      for (const job of followed.values()) job.ended = true;
      stopping = true;
      wake();
      await loop;
    },
  };
}
