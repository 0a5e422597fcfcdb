// What of the jobs' own output parex shows: the output modes and their validation.
import { UsageError } from '../errors.js';

/** The output modes: `errors` the failed jobs' log tails after the summary, `stream` every
 * line as it comes, prefixed with the job's name, `none` status lines only. */
export const OUTPUT_MODES = ['errors', 'stream', 'none'] as const;

/** One output mode. */
export type OutputKind = (typeof OUTPUT_MODES)[number];

/** Checks an output mode; `label` names where it came from (a flag, a variable, a file). */
export function validateOutputMode(value: unknown, label: string): OutputKind {
  if (typeof value === 'string' && (OUTPUT_MODES as readonly string[]).includes(value)) {
    return value as OutputKind;
  }
  throw new UsageError(
    `${label} must be one of ${OUTPUT_MODES.join(', ')}; got ${JSON.stringify(value)}`,
    "it says what of the jobs' own output parex prints: the failed jobs' last lines (errors), every line as it comes (stream), or none",
    `give e.g. ${label.startsWith('--') ? `${label} stream` : `${label}=stream`}`,
  );
}
