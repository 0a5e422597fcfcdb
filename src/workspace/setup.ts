// What a new worktree gets before its job starts: ignored files copied or linked from the
// user's tree (.env, node_modules), then a setup command run once, with its own log and timeout.
import { cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';

import type { WorkspaceContext } from '../model/workspace.js';

/** A job's workspace settings (workflow `workspace:`). */
export interface WorkspaceSetup {
  /** Paths (relative to the run's directory) copied into the worktree. */
  readonly copy: readonly string[];
  /** Paths symlinked into the worktree. */
  readonly link: readonly string[];
  /** A shell line run in each new worktree before the job; null for none. */
  readonly setup: string | null;
  /** Seconds the setup may take (0 = no limit). */
  readonly setupTimeoutSec: number;
}

/** No copies, no links, no setup. */
export const NO_SETUP: WorkspaceSetup = { copy: [], link: [], setup: null, setupTimeoutSec: 0 };

/** Why the setup failed, or null when the worktree is ready. */
export async function setUpWorktree(
  context: WorkspaceContext,
  setup: WorkspaceSetup,
  jobCwd: string,
  setupLog: string,
  warn: (message: string) => void,
): Promise<string | null> {
  const place = (entry: string, how: 'copy' | 'link') => {
    const from = path.resolve(context.cwd, entry);
    const to = path.resolve(jobCwd, entry);
    if (!existsSync(from)) {
      warn(`[parex] warning: workspace.${how} ${entry}: not found in ${context.cwd}, left out`);
      return;
    }
    mkdirSync(path.dirname(to), { recursive: true });
    if (how === 'copy') cpSync(from, to, { recursive: true, force: true, verbatimSymlinks: true });
    else symlinkSync(from, to);
  };
  try {
    for (const entry of setup.copy) place(entry, 'copy');
    for (const entry of setup.link) place(entry, 'link');
  } catch (error) {
    return `could not prepare the worktree: ${String(error)}`;
  }
  if (setup.setup === null) return null;
  const ran = await context.run({
    command: setup.setup,
    cwd: jobCwd,
    logPath: setupLog,
    timeoutSec: setup.setupTimeoutSec,
  });
  if (ran.outcome === 'success') return null;
  const how =
    ran.outcome === 'timeout' || ran.outcome === 'killed'
      ? `timed out after ${setup.setupTimeoutSec}s`
      : `exited ${ran.exitCode}`;
  return `workspace setup "${setup.setup}" ${how} (${ran.outcome}); see ${setupLog}`;
}
