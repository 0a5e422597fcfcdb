// Which run a command is about: --log-dir DIR, a RUN (an id or a directory), or the latest run.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

import { UsageError } from '../errors.js';
import { readHistory } from '../journal/history.js';
import { DEFAULTS } from '../options/defaults.js';

/** A run to read: its log directory, and its id when one run of a shared directory is meant. */
export interface RunSource {
  readonly logDir: string;
  readonly manifestPath: string;
  readonly runId: string | null;
}

/** Resolves the run; a UsageError when there is none. */
export function resolveRun(
  run: string | undefined,
  logDir: string | undefined,
  cwd = process.cwd(),
): RunSource {
  const runsDir = path.resolve(cwd, DEFAULTS.runsDir);
  if (logDir !== undefined) return source(path.resolve(cwd, logDir), run ?? null);
  if (run !== undefined) {
    const asPath = path.resolve(cwd, run);
    if (existsSync(path.join(asPath, DEFAULTS.manifestName))) return source(asPath, null);
    const asRun = path.join(runsDir, run);
    if (existsSync(path.join(asRun, DEFAULTS.manifestName))) return source(asRun, null);
    const recorded = readHistory(runsDir).find((entry) => entry.run_id === run);
    if (recorded !== undefined) return source(recorded.log_dir, run);
    throw new UsageError(
      `no run ${JSON.stringify(run)}`,
      `it is neither a directory holding ${DEFAULTS.manifestName} nor a run id in ${DEFAULTS.runsDir}`,
      "list the runs with 'parex runs', or pass --log-dir DIR",
    );
  }
  const latest = readHistory(runsDir).at(-1)?.log_dir ?? newestRunDir(runsDir);
  if (latest === null) {
    throw new UsageError(
      'no run found',
      `nothing has run from this directory (there is no ${DEFAULTS.runsDir})`,
      'pass --log-dir DIR (the directory of a manifest.jsonl), or start a run here first',
    );
  }
  return source(latest, null);
}

function source(logDir: string, runId: string | null): RunSource {
  const manifestPath = path.join(logDir, DEFAULTS.manifestName);
  if (!existsSync(manifestPath)) {
    throw new UsageError(
      `no manifest at ${manifestPath}`,
      'status, logs and report read what a run recorded there',
      'check the directory, or wait until the run has started',
    );
  }
  return { logDir, manifestPath, runId };
}

function newestRunDir(runsDir: string): string | null {
  let names: string[];
  try {
    names = readdirSync(runsDir);
  } catch {
    return null;
  }
  const dirs = names
    .map((name) => path.join(runsDir, name))
    .filter(
      (dir) => existsSync(path.join(dir, DEFAULTS.manifestName)) && statSync(dir).isDirectory(),
    )
    .sort();
  return dirs.at(-1) ?? null;
}
