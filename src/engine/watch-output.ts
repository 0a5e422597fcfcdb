// While an agent job runs: its log is read from where the last read stopped, a few times a
// second, and each whole line goes to the job's watcher, which may turn it into job-activity and
// job-usage events. Only the unfinished last line is kept in memory.
import { closeSync, openSync, readSync } from 'node:fs';

import type { GroupEvent } from '../model/events.js';
import type { OutputWatcher } from '../model/job.js';

/** How often the log is read for new lines. */
const INTERVAL_MS = 250;
/** Bytes read at once. */
const CHUNK_BYTES = 64 * 1024;
/** A line longer than this is not an event worth a line (a huge tool output): it is skipped. */
const LONGEST_LINE = 4 * 1024 * 1024;

/** Follows one job's log; `stop()` reads what is left and ends. */
export function watchOutput(
  name: string,
  logPath: string,
  watcher: OutputWatcher,
  emit: (event: GroupEvent) => void,
): { stop(): void } {
  let offset = 0;
  let partial = '';
  let skipping = false;
  let lastUsage = '';
  const buffer = Buffer.alloc(CHUNK_BYTES);
  const decoder = new TextDecoder('utf-8');
  const take = (line: string) => {
    const said = watcher.line(line);
    const at = new Date();
    if (said.activity !== null) emit({ type: 'job-activity', name, at, text: said.activity });
    if (said.usage !== null) {
      const key = JSON.stringify(said.usage);
      if (key !== lastUsage) emit({ type: 'job-usage', name, at, usage: said.usage });
      lastUsage = key;
    }
  };
  const read = () => {
    let fd: number;
    try {
      fd = openSync(logPath, 'r');
    } catch {
      return;
    }
    try {
      for (;;) {
        const got = readSync(fd, buffer, 0, CHUNK_BYTES, offset);
        if (got === 0) break;
        offset += got;
        const lines = (partial + decoder.decode(buffer.subarray(0, got), { stream: true })).split(
          '\n',
        );
        partial = lines.pop() ?? '';
        for (const line of lines) {
          if (!skipping) take(line);
          skipping = false;
        }
        if (partial.length > LONGEST_LINE) {
          partial = '';
          skipping = true;
        }
      }
    } catch {
      // A watcher's mistake never stops the job: the log stays whole, only the live view misses it.
    } finally {
      closeSync(fd);
    }
  };
  const timer = setInterval(read, INTERVAL_MS);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      read();
      if (partial !== '' && !skipping) take(partial);
    },
  };
}
