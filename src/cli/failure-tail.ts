// The last lines of a job's log for the `errors` output, redacted and stripped of control
// characters: the one place that reads them, whatever the source.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { tailLines } from '../journal/log-tail.js';
import type { JobResult } from '../model/result.js';
import { DEFAULTS } from '../options/defaults.js';
import type { Tail } from '../report/failure-tails.js';

/** The last DEFAULTS.errorTailLines lines of `result`'s log, with secrets hidden; when there
 * are none, why: the log is empty, holds no printable line, or cannot be read (a failed disk). */
export function failureTail(result: JobResult, redact: <T>(value: T) => T): Tail {
  // The tail stored with the run, redacted while the run knew its secrets; else the log's own.
  const lines =
    result.logTail ??
    tailLines(result.logPath, DEFAULTS.errorTailLines).map((line) => redact(line));
  return lines.length > 0 ? lines : { empty: whyNoLines(result.logPath) };
}

/** Why a log gave no lines, found by reading its last byte. */
function whyNoLines(file: string): string {
  try {
    const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const { size } = fstatSync(fd);
      if (size === 0) return 'its log is empty';
      readSync(fd, Buffer.alloc(1), 0, 1, size - 1);
      return 'its log holds no printable line';
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return `its log could not be read: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`;
  }
}
