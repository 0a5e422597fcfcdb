// The history of runs started from a directory: .parex/runs/history.jsonl, one line per run,
// so that `parex runs` and `parex status` find runs whose logs live anywhere.
import { closeSync, mkdirSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';

import { openRegular } from '../files/regular-file.js';

/** One run, as recorded when it started. */
export interface HistoryEntry {
  readonly run_id: string;
  readonly log_dir: string;
  readonly started_at: string;
  /** The parex command line, e.g. ["exec", "--", "sleep 1"]. */
  readonly command: readonly string[];
}

/** The history file under a runs directory. */
export function historyPath(runsDir: string): string {
  return path.join(runsDir, 'history.jsonl');
}

/** Appends one run to the history (one write of one line; never through a link). */
export function appendHistory(runsDir: string, entry: HistoryEntry): void {
  mkdirSync(runsDir, { recursive: true });
  const fd = openRegular(historyPath(runsDir), 'append');
  try {
    writeSync(fd, `${JSON.stringify(entry)}\n`);
  } finally {
    closeSync(fd);
  }
}

/** Every run of the history, oldest first; an unreadable history is an empty one. */
export function readHistory(runsDir: string): HistoryEntry[] {
  let text: string;
  try {
    text = readFileSync(historyPath(runsDir), 'utf8');
  } catch {
    return [];
  }
  const entries: HistoryEntry[] = [];
  for (const line of text.split('\n')) {
    try {
      const value = JSON.parse(line) as HistoryEntry;
      if (typeof value.run_id === 'string' && typeof value.log_dir === 'string')
        entries.push(value);
    } catch {
      // A torn or foreign line.
    }
  }
  return entries;
}
