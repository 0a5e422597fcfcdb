// Side files a pooled job reads, named in its stdin: a best-of-N agent judge's prompt lists the
// candidates' patches by the coordinator's paths, which a worker on another machine cannot open.
// The coordinator sends their content with the job and puts each one's side name where its path
// stood (noting the offsets); the worker writes them in the attempt's side directory and puts its
// own full paths at those offsets.
import { readFileSync, statSync } from 'node:fs';

import { FILES_LIMIT_BYTES } from './files.js';

/** One path to swap in a job's stdin: `from` there becomes `to`. */
export interface Swap {
  readonly from: string;
  readonly to: string;
}

/** Bytes that may continue a path: a match followed or preceded by one is part of another path. */
const PATH_BYTE = /[A-Za-z0-9._~/-]/;

function isPathByte(input: Buffer, at: number): boolean {
  return at >= 0 && at < input.length && PATH_BYTE.test(String.fromCharCode(input[at] ?? 0));
}

/** `input` with every whole occurrence of each swap's `from` replaced by its `to`; for each swap,
 * the byte offsets of its `to` in the result. */
export function swapPaths(
  input: Buffer,
  swaps: readonly Swap[],
): { input: Buffer; offsets: number[][] } {
  const found: { at: number; swap: number }[] = [];
  for (const [swap, { from }] of swaps.entries()) {
    const needle = Buffer.from(from);
    if (needle.length === 0) continue;
    for (let at = input.indexOf(needle); at >= 0; at = input.indexOf(needle, at + needle.length)) {
      if (!isPathByte(input, at - 1) && !isPathByte(input, at + needle.length))
        found.push({ at, swap });
    }
  }
  found.sort((a, b) => a.at - b.at);
  const parts: Buffer[] = [];
  const offsets: number[][] = swaps.map(() => []);
  let read = 0;
  let written = 0;
  for (const { at, swap } of found) {
    if (at < read) continue; // overlaps an earlier swap
    const { from, to } = swaps[swap] as Swap;
    parts.push(input.subarray(read, at));
    written += at - read;
    offsets[swap]?.push(written);
    const replacement = Buffer.from(to);
    parts.push(replacement);
    written += replacement.length;
    read = at + Buffer.byteLength(from);
  }
  parts.push(input.subarray(read));
  return { input: Buffer.concat(parts), offsets };
}

/** One name at known offsets of a worker's stdin, to be replaced by its full path. */
export interface Placement {
  readonly name: string;
  readonly full: string;
  readonly offsets: readonly number[];
}

/** The worker's stdin: each placement's name, at each of its offsets, replaced by its full path;
 * or why the payload does not fit its stdin. */
export function placeInInput(
  input: Buffer,
  placements: readonly Placement[],
): Buffer | { error: string } {
  const at = placements
    .flatMap((placement) => placement.offsets.map((offset) => ({ offset, placement })))
    .sort((a, b) => a.offset - b.offset);
  const parts: Buffer[] = [];
  let read = 0;
  for (const { offset, placement } of at) {
    const name = Buffer.from(placement.name);
    if (offset < read || !input.subarray(offset, offset + name.length).equals(name)) {
      return { error: `side file ${placement.name} is not at byte ${offset} of the job's stdin` };
    }
    parts.push(input.subarray(read, offset), Buffer.from(placement.full));
    read = offset + name.length;
  }
  parts.push(input.subarray(read));
  return Buffer.concat(parts);
}

/** Counts the bytes of inbound files one job carries, refusing more than FILES_LIMIT_BYTES. */
export class InboundBudget {
  private bytes = 0;

  constructor(private readonly job: string) {}

  /** The file's content and mode (null when it does not exist: the job finds none on the worker
   * either), or why it cannot travel. */
  take(full: string): { data: string; mode: number } | null | { error: string } {
    try {
      const stat = statSync(full);
      // Counted before it is read: a 1 GiB patch is refused without being read.
      this.bytes += stat.size;
      if (this.bytes > FILES_LIMIT_BYTES) return { error: this.tooLarge(full) };
      return { data: readFileSync(full).toString('base64'), mode: stat.mode & 0o777 };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      return { error: `side file ${full} could not be read: ${(error as Error).message}` };
    }
  }

  private tooLarge(full: string): string {
    const mib = FILES_LIMIT_BYTES / 1024 / 1024;
    return `the files job ${this.job} reads that parex sends to the worker (a best-of-N judge's candidate patches) are larger than ${mib} MiB in all (at ${full}); a pool job carries at most ${mib} MiB of them: use a "command" or "score" judge, which judges the candidates on the coordinator, or keep the candidates' changes smaller`;
  }
}
