// The workspaces of a workflow run: the phases with `isolation: worktree` run in git worktrees;
// phases reused by --resume give their commits to the phases that need them.

import type { WorkspaceProvider } from '../model.js';
import { worktreeWorkspaces } from '../workspace/worktrees.js';
import type { WorkflowPlan } from './plan.js';
import type { ReusedPhase } from './resume.js';

/** The run's workspace provider; null when no phase is isolated. */
export function phaseWorkspaces(
  plan: WorkflowPlan,
  reused: readonly ReusedPhase[],
  worktreesDir: string | undefined,
  stale: readonly string[],
): WorkspaceProvider | null {
  const isolated = plan.phases.filter((phase) => phase.isolation === 'worktree');
  if (isolated.length === 0) return null;
  const byId = new Map(plan.phases.map((phase) => [phase.id, phase]));
  const commits = reused.flatMap((phase) =>
    phase.commit === null ? [] : [[phase.id, phase.commit] as const],
  );
  return worktreeWorkspaces({
    isolated: new Set(isolated.map((phase) => phase.id)),
    worktreesDir,
    graph: plan.phases.map((phase) => ({ name: phase.id, needs: phase.needs })),
    reused: new Map(commits),
    setupOf: (id) =>
      byId.get(id)?.workspace ?? { copy: [], link: [], setup: null, setupTimeoutSec: 0 },
    dirs: [plan.dirs.feature, plan.dirs.planning],
    asked: 'isolation: worktree',
    stale,
  });
}
