// The summary's lines about an isolated run: its result ref, or why there is none, and the
// worktrees kept for inspection.
import type { WorkspaceSummary } from '../model/workspace.js';

/** The workspace lines of the end-of-run summary. */
export function workspaceLines(runId: string, workspace: WorkspaceSummary): string[] {
  const lines: string[] = [];
  if (workspace.result !== null) {
    lines.push(
      `  result: refs/parex/${runId}/result (${workspace.result.slice(0, 12)}); 'parex diff ${runId}' shows it, 'parex apply ${runId}' applies it`,
    );
  } else {
    lines.push(`  no result: ${workspace.resultError ?? 'nothing merged'}`);
  }
  for (const pair of workspace.conflicts) {
    lines.push(`  conflict: ${pair.jobs.join(' x ')} in ${pair.files.join(', ')}`);
  }
  for (const [job, dir] of Object.entries(workspace.kept))
    lines.push(`  worktree of ${job} kept: ${dir}`);
  return lines;
}
