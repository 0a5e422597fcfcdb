// The `stream` output mode: every line each job writes, as it comes, prefixed with "[NAME] ".
// Each job's log is followed a bounded piece at a time and nothing more is read while stdout
// is full, so memory stays flat whatever the jobs print. Lines are written whole, one job's
// line never inside another's; an unfinished line is written after a second of silence or at
// the job's end. An agent's log (its JSON event stream) is shown in words, as the live view and
// `parex logs` show it; the log file keeps the stream as written.
import pc from 'picocolors';

import { type LineTranslator, readableLog } from '../../agents/readable.js';
import { LogFollower } from '../../journal/log-follow.js';
import type { GroupEvent } from '../../model/events.js';

/** How often the logs are read when they are quiet. */
const POLL_MS = 50;
/** Silence after which an unfinished line is written as it is. */
const PARTIAL_FLUSH_MS = 1000;
/** Bytes read from one log in one go, at most. */
const READ_BYTES = 256 * 1024;

interface Followed {
  readonly follower: LogFollower;
  readonly prefix: string;
  /** An agent's words for each line of its stream; null for a command (lines as written). */
  readonly translate: LineTranslator | null;
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
    let lines = job.follower.readLines(READ_BYTES);
    if (job.follower.bytesRead > before) job.lastData = now;
    // An agent's unfinished line is half an event: it waits for the rest, or for the job's end.
    const silent = job.ended
      ? job.follower.atEnd
      : job.translate === null && now - job.lastData >= PARTIAL_FLUSH_MS;
    if (silent && job.follower.hasPartial) lines.push(job.follower.takePartial() ?? '');
    if (job.translate !== null) lines = wordsOf(lines, job.translate);
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
          translate: readableLog(
            typeof event.fields.agent === 'string' ? event.fields.agent : null,
          ),
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

/** The readable lines of an agent's stream lines (an event may say nothing). */
function wordsOf(lines: readonly string[], translate: LineTranslator): string[] {
  const words: string[] = [];
  for (const line of lines) {
    const text = translate(line);
    if (text !== null) words.push(...text.split('\n'));
  }
  return words;
}
