// The last lines of a job's log for the `errors` output, redacted and stripped of control
// characters: the one place that reads them, whatever the source.
import { tailLines } from '../journal/log-tail.js';
import type { JobResult } from '../model.js';
import { DEFAULTS } from '../options/defaults.js';

/** The last DEFAULTS.errorTailLines lines of `result`'s log, with secrets hidden. */
export function failureTail(result: JobResult, redact: <T>(value: T) => T): string[] {
  // The tail stored with the run, redacted while the run knew its secrets; else the log's own.
  if (result.logTail !== undefined) return [...result.logTail];
  return tailLines(result.logPath, DEFAULTS.errorTailLines).map((line) => redact(line));
}
