// Reads a manifest back: every line that parses, and where the ones that do not are.
import { readFileSync } from 'node:fs';

import type { EndEntry, ManifestEntry, StartEntry } from './entries.js';

/** A manifest as read from disk. */
export interface ManifestContents {
  readonly entries: readonly ManifestEntry[];
  /** 1-based numbers of lines that are not JSON objects (e.g. a line torn by a crash). */
  readonly badLines: readonly number[];
}

/** Reads and parses every line of the manifest at `path`; throws only if the file cannot be read. */
export function readManifest(path: string): ManifestContents {
  const entries: ManifestEntry[] = [];
  const badLines: number[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isEntry(value)) entries.push(value);
      else badLines.push(index + 1);
    } catch {
      badLines.push(index + 1);
    }
  }
  return { entries, badLines };
}

/** True for a completion line. */
export function isEndEntry(entry: ManifestEntry): entry is EndEntry {
  return entry.status !== 'started';
}

/** True for a start line. */
export function isStartEntry(entry: ManifestEntry): entry is StartEntry {
  return entry.status === 'started';
}

/** The last completion line of each phase, in order of first appearance ("last line wins"). */
export function lastCompletions(entries: readonly ManifestEntry[]): EndEntry[] {
  const last = new Map<string, EndEntry>();
  for (const entry of entries) if (isEndEntry(entry)) last.set(entry.phase, entry);
  return [...last.values()];
}

function isEntry(value: unknown): value is ManifestEntry {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.phase === 'string' && typeof record.status === 'string';
}
