// The set-up of an isolated job's worktree on a worker: workspace.copy's files (sent along like
// inputs), workspace.link's paths linked from the worker's --workdir (the user's tree is not
// there), then workspace.setup run in the worktree with its own log, timeout and stop ladder.
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';

import { classify } from '../engine/classify.js';
import { DEFAULTS } from '../options/defaults.js';
import { runProcess } from '../process/run-process.js';
import { inside, unpackFiles } from './files.js';
import type { AttemptPlace } from './remote-workspace.js';
import type { WorkerContext } from './run-remote.js';
import type { WorkspacePayload } from './workspace-protocol.js';

/** Copies, links and the setup command; why it failed, or null. */
export async function setUp(
  context: WorkerContext,
  ws: WorkspacePayload,
  at: AttemptPlace,
  cwd: string,
  setupLog: string,
): Promise<string | null> {
  try {
    for (const made of [cwd, ...ws.dirs.map((entry) => path.resolve(cwd, entry))]) {
      mkdirSync(made, { recursive: true });
    }
    const unpacked = unpackFiles(cwd, ws.copy);
    if (unpacked !== null) return unpacked;
    for (const entry of ws.link) {
      const from = inside(context.workdir, entry);
      const to = inside(cwd, entry);
      if (from === null || to === null || !existsSync(from)) {
        context.print(
          `[parex] warning: ${at.run}/${at.name}: workspace.link ${entry}: not found in ${context.workdir} (the worker's --workdir), left out`,
        );
        continue;
      }
      mkdirSync(path.dirname(to), { recursive: true });
      symlinkSync(from, to);
    }
  } catch (error) {
    return `could not prepare the worktree on worker ${context.name}: ${words(error)}`;
  }
  if (ws.setup === null) return null;
  const ran = await runProcess({
    argv: [DEFAULTS.shell, '-c', ws.setup],
    cwd,
    env: at.env,
    input: null,
    logPath: setupLog,
    timeoutMs: ws.setupTimeoutMs,
    idleMs: 0,
    graceMs: at.graceMs,
    stopSignals: DEFAULTS.stopSignals,
    cancel: at.switches.cancel.signal,
    force: at.switches.force.signal,
    onSpawn: () => {},
    onSignal: () => {},
    launcher: context.launcher,
  });
  const { outcome, exitCode } = classify(ran);
  if (outcome === 'success') return null;
  const how =
    outcome === 'timeout' || outcome === 'killed'
      ? `timed out after ${ws.setupTimeoutMs / 1000}s`
      : `exited ${exitCode}`;
  return `workspace setup "${ws.setup}" ${how} (${outcome}) on worker ${context.name}`;
}

export function words(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
