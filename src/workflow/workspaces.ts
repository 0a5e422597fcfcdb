// The workspaces of a workflow run: the phases with `isolation: worktree` run in git worktrees;
// phases reused by --resume give their commits to the phases that need them.

import type { WorkspaceProvider } from '../model.js';
import { DEFAULTS } from '../options/defaults.js';
import type { CandidateSpec, JudgeJobSpec, JudgeSpec } from '../workspace/judge/types.js';
import { worktreeWorkspaces } from '../workspace/worktrees.js';
import { phaseGraph } from './plan.js';
import type { WorkflowPlan } from './plan-types.js';
import type { ReusedPhase } from './resume.js';
import type { JudgeFile } from './schema.js';

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
    graph: phaseGraph(plan.phases),
    reused: new Map(commits),
    setupOf: (id) =>
      byId.get(id)?.workspace ?? { copy: [], link: [], setup: null, setupTimeoutSec: 0 },
    dirs: [plan.dirs.feature, plan.dirs.planning],
    asked: 'isolation: worktree',
    ...bestOfN(plan),
    stale,
  });
}

/** The candidate and judge jobs of the plan's best-of-N phases. */
function bestOfN(plan: WorkflowPlan): {
  candidates: Map<string, CandidateSpec>;
  judges: Map<string, JudgeJobSpec>;
} {
  const candidates = new Map<string, CandidateSpec>();
  const judges = new Map<string, JudgeJobSpec>();
  for (const phase of plan.phases) {
    if (phase.judging === null) continue;
    const judge = judgeSpec(phase.judging.judge);
    judges.set(phase.id, { candidates: phase.judging.candidates, kind: judge.kind });
    phase.judging.candidates.forEach((id, position) => {
      candidates.set(id, { of: phase.id, index: position + 1, judge });
    });
  }
  return { candidates, judges };
}

function judgeSpec(judge: JudgeFile): JudgeSpec {
  if ('command' in judge) {
    return {
      kind: 'command',
      command: judge.command,
      timeoutSec: judge.timeout ?? DEFAULTS.setupTimeoutSec,
    };
  }
  if ('score' in judge) return { kind: 'score', file: judge.score };
  return { kind: 'agent' };
}
