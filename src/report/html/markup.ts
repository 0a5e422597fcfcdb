// Escaping and small formatters for the HTML report. Every text that comes from a run (job
// names, reasons, log lines, paths, agent names) goes through `esc` before it reaches markup.
import { formatDuration } from '../format.js';
import type { JobView } from '../run-view.js';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML content and for double-quoted attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

/**
 * A log line without control characters (tab aside), for display. The command cleans the tails
 * already (log-tail.ts); this keeps stray escape bytes out of the page whatever it is given.
 */
export function plainLine(line: string): string {
  let text = '';
  for (const char of line) {
    const code = char.charCodeAt(0);
    if ((code >= 0x20 && code !== 0x7f) || code === 0x09) text += char;
  }
  return text;
}

/** Several lines as one attribute value (a `title` tooltip), each line escaped. */
export function escLines(lines: readonly string[]): string {
  return lines.map(esc).join('&#10;');
}

/** A whole number with thousands separators, the same on every machine. */
export function formatCount(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A count in at most four characters or so: 950, 12.3k, 420k, 1.5M. */
export function formatCompactCount(value: number): string {
  const compact = (n: number, unit: string) =>
    `${n < 100 ? Number(n.toFixed(1)) : Math.round(n)}${unit}`;
  if (value >= 1e9) return compact(value / 1e9, 'G');
  if (value >= 1e6) return compact(value / 1e6, 'M');
  if (value >= 1e4) return compact(value / 1e3, 'k');
  return formatCount(value);
}

/** Dollars with four decimals. */
export function formatCost(usd: number): string {
  return `$${usd.toFixed(4)}`;
}

/** A job's tokens as "in / out", or "-" when unknown. */
export function formatTokens(job: JobView): string {
  return job.inputTokens === null && job.outputTokens === null
    ? '-'
    : `${formatCount(job.inputTokens ?? 0)} in / ${formatCount(job.outputTokens ?? 0)} out`;
}

/** When the job started, relative to the run's first start: "+1.25s". */
export function formatOffset(job: JobView, origin: Date | null): string {
  return job.startedAt === null || origin === null
    ? '-'
    : `+${formatDuration(Math.max(0, job.startedAt.getTime() - origin.getTime()))}`;
}

/** The details of one job, as label and text pairs (not escaped yet). */
export function jobDetails(job: JobView, origin: Date | null): [string, string][] {
  const details: [string, string][] = [
    ['job', job.name],
    ['state', job.state],
    ['exit code', job.exitCode === null ? '-' : String(job.exitCode)],
    [
      'start',
      job.startedAt === null
        ? '-'
        : `${formatOffset(job, origin)} (${job.startedAt.toISOString()})`,
    ],
    ['duration', job.durationMs === null ? '-' : formatDuration(job.durationMs)],
    ['attempts', String(job.attempts)],
    ['agent', job.agent ?? '-'],
    ['tokens', formatTokens(job)],
    ['cost', job.costUsd === null ? '-' : formatCost(job.costUsd)],
  ];
  if (job.reason !== null) details.push(['reason', job.reason]);
  details.push(['log', logOf(job)]);
  return details;
}

/** A job's log path, or "-" for a job that never ran (skipped: it has no log). */
export function logOf(job: JobView): string {
  return job.state === 'skipped' || job.logPath === null ? '-' : job.logPath;
}
