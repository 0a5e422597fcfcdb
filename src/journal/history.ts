// The history of runs started from a directory: .parex/runs/history.jsonl, one line per run,
// so that `parex runs` and `parex status` find runs whose logs live anywhere. It is only ever
// appended to, one whole line per write: `parex clean` forgets a run by appending a line that
// says so, never by rewriting the file, so a run starting at that moment keeps its line.
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

/** A line that makes the history forget the run of a log directory (`parex clean`). */
interface ForgetEntry {
  readonly forget_log_dir: string;
  readonly forgotten_at: string;
}

/** Appends one run to the history (one write of one line; never through a link). */
export function appendHistory(runsDir: string, entry: HistoryEntry): void {
  appendLines(runsDir, [entry]);
}

/** Makes the history forget the runs of these log directories, by appending (one write). */
export function forgetInHistory(runsDir: string, logDirs: readonly string[]): void {
  const at = new Date().toISOString();
  appendLines(
    runsDir,
    logDirs.map((dir): ForgetEntry => ({ forget_log_dir: path.resolve(dir), forgotten_at: at })),
  );
}

function appendLines(runsDir: string, entries: readonly object[]): void {
  if (entries.length === 0) return;
  mkdirSync(runsDir, { recursive: true });
  const fd = openRegular(historyPath(runsDir), 'append');
  try {
    writeSync(fd, entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
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
  const forgotten = new Set<string>();
  for (const line of text.split('\n')) {
    try {
      const value = JSON.parse(line) as Partial<HistoryEntry & ForgetEntry>;
      if (typeof value.forget_log_dir === 'string') forgotten.add(value.forget_log_dir);
      else if (typeof value.run_id === 'string' && typeof value.log_dir === 'string')
        entries.push(value as HistoryEntry);
    } catch {
      // A torn or foreign line.
    }
  }
  if (forgotten.size === 0) return entries;
  return entries.filter((entry) => !forgotten.has(path.resolve(entry.log_dir)));
}
