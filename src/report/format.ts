// Small formatters for durations, seconds and paths, shared by every text parex prints.
import path from 'node:path';

import { cut, displayWidth, padColumns } from './text-width.js';

/** A duration for people: "0.35s", "12.0s", "3m05s", "1h02m". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)}s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m`;
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}

/** A setting in seconds as the user wrote it: 600 → "600s", 1.5 → "1.5s". */
export function formatSeconds(seconds: number): string {
  return `${Number(seconds.toPrecision(6))}s`;
}

/** A path relative to the current directory when that is shorter, for display only. */
export function displayPath(target: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, target);
  return relative !== '' && !relative.startsWith('..') && relative.length < target.length
    ? relative
    : target;
}

/** Pads the columns of a table of strings to equal widths. */
export function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, displayWidth(cell));
    });
  }
  return rows.map((row) =>
    row
      .map((cell, index) =>
        index === row.length - 1 ? cell : padColumns(cell, widths[index] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
}

/** A command on one line for a table or a heading: runs of white space made one space, cut to
 * `max` columns. */
export function shortCommand(command: string, max: number): string {
  return cut(command.replace(/\s+/g, ' ').trim(), max);
}

/** Efficiency in words: "88% of 8 slots". */
export function efficiencyText(figures: { efficiency: number; slots: number }): string {
  return `${Math.round(figures.efficiency * 100)}% of ${figures.slots} slot${figures.slots === 1 ? '' : 's'}`;
}

/** The critical path in words: its jobs, its length, and the start-up gaps that complete the wall time. */
export function criticalPathText(figures: {
  criticalPath: readonly string[];
  criticalPathMs: number;
  gapMs: number;
}): string {
  if (figures.criticalPath.length === 0) return '-';
  const shown =
    figures.criticalPath.length <= 8
      ? figures.criticalPath.join(' → ')
      : `${figures.criticalPath.slice(0, 3).join(' → ')} → … (${figures.criticalPath.length - 6} more) → ${figures.criticalPath.slice(-3).join(' → ')}`;
  return `${shown} (${formatDuration(figures.criticalPathMs)} + ${formatDuration(figures.gapMs)} start-up gaps)`;
}
