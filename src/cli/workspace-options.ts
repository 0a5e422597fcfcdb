// The workspace flags of the commands that run jobs: --isolate (exec), --worktrees-dir, --apply;
// and --apply's step after the run.
import type { Command } from 'commander';

import type { GroupResult } from '../model/result.js';
import { textOption } from './sources.js';

/** What the flags ask for. */
export interface WorkspaceFlags {
  readonly isolate: boolean;
  readonly worktreesDir: string | undefined;
  readonly apply: boolean;
}

/** Adds the flags; `isolate` only where a flag (not the workflow) turns isolation on. */
export function addWorkspaceOptions(command: Command, isolate: boolean): Command {
  if (isolate) {
    command.option('--isolate', 'run every job in its own git worktree (see docs/workspaces.md)');
  }
  return command
    .option(
      '--worktrees-dir <dir>',
      "where isolated jobs' worktrees go (default: ~/.cache/parex/worktrees/REPO)",
    )
    .option(
      '--apply',
      "apply the run's result to the working tree when every job succeeded and nothing conflicted",
    );
}

/** Reads the flags. */
export function readWorkspaceFlags(command: Command): WorkspaceFlags {
  return {
    isolate: command.getOptionValue('isolate') === true,
    worktreesDir: textOption(command, 'worktreesDir'),
    apply: command.getOptionValue('apply') === true,
  };
}

/** After the run: --apply's messages and whether it failed the command. */
export async function applyAfterRun(
  group: GroupResult,
  cwd: string,
): Promise<{ readonly lines: readonly string[]; readonly ok: boolean }> {
  const workspace = group.workspace;
  if (workspace === undefined)
    return { lines: ['parex: --apply: the run had no isolated jobs; nothing to apply'], ok: true };
  if (!group.ok || workspace.result === null || workspace.conflicts.length > 0) {
    return {
      lines: ['parex: --apply: not applied, because not every job succeeded or jobs conflict'],
      ok: true,
    };
  }
  const { applyRun } = await import('../workspace/commands.js');
  const report = await applyRun(cwd, group.runId, undefined);
  return { lines: report.lines, ok: report.ok };
}
