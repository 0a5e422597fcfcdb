// The side files of a pooled attempt. The paths parex itself puts in a job's argv, env or stdin
// (a codex phase's last-message file, a per-job agent home, a judge's candidate patches and the
// directory it may read them in) are the coordinator's absolute paths, which a worker on another
// machine does not have. The payload
// names each relative to the attempt's side directory instead; the worker makes that directory
// in its own job area, points argv, env and stdin into it, seeds homes from its own
// configuration, writes the files the job reads (sent along), and sends the files the job wrote
// back, which the coordinator writes where a local run would have them.
import { mkdirSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import { seedAgentHome } from '../agents/home.js';
import type { SideFile } from '../model/job.js';
import { inside, packFiles, unpackFiles } from './files.js';
import {
  InboundBudget,
  type Placement,
  placeInInput,
  type Swap,
  swapPaths,
} from './inbound-sides.js';
import type { FilePayload, SidePayload } from './protocol.js';

/** An attempt's argv, env and stdin with its side paths named as the payload names them, and
 * where each side file the job writes belongs on the coordinator (by that name). */
export interface SidesOut {
  readonly argv: readonly [string, ...string[]];
  readonly env: Readonly<Record<string, string>>;
  readonly input: Buffer | null;
  readonly side: readonly SidePayload[];
  readonly places: ReadonlyMap<string, string>;
}

/** Names `files` in `argv`, `env` and `input` relative to the side directory (coordinator), with
 * the content of those the job reads; a relative side path belongs under `cwd`, the job's
 * directory, where the local run's process has it. Or why the files it reads cannot travel. */
export function sidesOut(
  files: readonly SideFile[],
  argv: readonly [string, ...string[]],
  env: Readonly<Record<string, string>>,
  cwd: string,
  input: string | Uint8Array | null = null,
  job = '',
): SidesOut | { error: string } {
  const named: [string, ...string[]] = [...argv];
  const namedEnv = { ...env };
  const side: SidePayload[] = [];
  const places = new Map<string, string>();
  const names = new Set<string>();
  const budget = new InboundBudget(job);
  const swaps: Swap[] = [];
  for (const [index, file] of files.entries()) {
    const at = argv.flatMap((value, i) => (value === file.path ? [i] : []));
    const variables = Object.keys(env).filter((variable) => env[variable] === file.path);
    if (file.kind === 'dir') {
      // The directory of the inbound files: the worker's side directory holds them.
      for (const i of at) named[i] = '.';
      for (const variable of variables) namedEnv[variable] = '.';
      side.push({ path: '.', kind: 'dir', argv: at, env: variables });
      continue;
    }
    const base = path.basename(file.path);
    const name = names.has(base) ? `${index}-${base}` : base;
    names.add(name);
    // What the job reads never comes back: a worker cannot overwrite it here.
    if (file.kind !== 'inbound') places.set(name, path.resolve(cwd, file.path));
    for (const i of at) named[i] = name;
    for (const variable of variables) namedEnv[variable] = name;
    const agent = file.agent === undefined ? {} : { agent: file.agent };
    const entry: SidePayload = { path: name, kind: file.kind, ...agent, argv: at, env: variables };
    if (file.kind !== 'inbound') {
      side.push(entry);
      continue;
    }
    // Read here, once the jobs that write it have ended; one that does not exist stays absent.
    const content = budget.take(path.resolve(cwd, file.path));
    if (content !== null && 'error' in content) return content;
    swaps.push({ from: file.path, to: name });
    side.push({ ...entry, ...content });
  }
  if (input === null || swaps.length === 0) {
    const bytes = input === null ? null : Buffer.from(input);
    return { argv: named, env: namedEnv, input: bytes, side, places };
  }
  const swapped = swapPaths(Buffer.from(input), swaps);
  let inbound = 0;
  const placed = side.map((entry) =>
    entry.kind === 'inbound' ? { ...entry, input: swapped.offsets[inbound++] ?? [] } : entry,
  );
  return { argv: named, env: namedEnv, input: swapped.input, side: placed, places };
}

/** An attempt's side directory on a worker, with argv, env and stdin pointed into it. */
export interface PlacedSides {
  readonly dir: string;
  readonly argv: [string, ...string[]];
  readonly env: Record<string, string | undefined>;
  readonly input: Buffer | null;
  /** The side files the job writes, relative to `dir`: they go back to the coordinator. */
  readonly files: readonly string[];
  /** Whether `dir` was made (the job has side paths). */
  readonly made: boolean;
}

/** Makes `dir` and what `side` names in it (homes seeded from `own`, the worker's environment;
 * the files the job reads written from the payload); or why a side path cannot be placed. */
export function placeSides(
  dir: string,
  side: readonly SidePayload[],
  argv: readonly [string, ...string[]],
  env: Readonly<Record<string, string | undefined>>,
  own: NodeJS.ProcessEnv,
  input: Buffer | null = null,
): PlacedSides | { error: string } {
  const placed: PlacedSides = {
    dir,
    argv: [...argv],
    env: { ...env },
    input,
    files: [],
    made: false,
  };
  if (side.length === 0) return placed;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files: string[] = [];
  const inStdin: Placement[] = [];
  const refuse = (error: string) => {
    rmSync(dir, { recursive: true, force: true });
    return { error };
  };
  for (const entry of side) {
    if (entry.kind === 'dir') {
      if (entry.path !== '.') return refuse(`side directory ${entry.path} is not "."`);
      for (const i of entry.argv) if (i > 0 && i < placed.argv.length) placed.argv[i] = dir;
      for (const variable of entry.env) placed.env[variable] = dir;
      continue;
    }
    const full = inside(dir, entry.path);
    if (full === null || path.dirname(full) !== dir) {
      return refuse(`side file ${entry.path} would be placed outside ${dir}`);
    }
    if (entry.kind === 'home') {
      mkdirSync(full, { mode: 0o700 });
      seedAgentHome(entry.agent ?? '', full, own);
    } else if (entry.kind === 'inbound') {
      // Written as every file parex writes: never through a link, into a FIFO or a hard link.
      const data =
        entry.data === undefined ? null : { data: entry.data, mode: entry.mode ?? 0o600 };
      const written = data === null ? null : unpackFiles(dir, [{ path: entry.path, ...data }]);
      if (written !== null) return refuse(written);
      inStdin.push({ name: entry.path, full, offsets: entry.input ?? [] });
    } else files.push(entry.path);
    for (const i of entry.argv) if (i > 0 && i < placed.argv.length) placed.argv[i] = full;
    for (const variable of entry.env) placed.env[variable] = full;
  }
  const stdin = input === null || inStdin.length === 0 ? input : placeInInput(input, inStdin);
  if (stdin !== null && 'error' in stdin) return refuse(stdin.error);
  return { ...placed, input: stdin, files, made: true };
}

/** The side files the job wrote (those it did not write are left out), then the directory is
 * removed; or why they cannot go back. */
export function packSides(placed: PlacedSides): { files: FilePayload[] } | { error: string } {
  if (!placed.made) return { files: [] };
  const packed = packFiles(placed.dir, placed.files, 'output');
  rmSync(placed.dir, { recursive: true, force: true });
  try {
    // The run's directory goes with its last attempt here (another's makes it again).
    rmdirSync(path.dirname(placed.dir));
  } catch {
    // Another attempt of the run still has its side directory in it.
  }
  return packed;
}

/** Writes a side file a worker sent back where the local run would have it; or why not. */
export function writeSide(places: ReadonlyMap<string, string>, file: FilePayload): string | null {
  const target = places.get(file.path);
  if (target === undefined) return `the worker sent side file ${file.path}, which the job lacks`;
  return unpackFiles(path.dirname(target), [{ ...file, path: path.basename(target) }]);
}
