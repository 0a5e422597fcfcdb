// The workspaces of a workflow run: the phases with `isolation: worktree` run in git worktrees;
// phases reused by --resume give their commits to the phases that need them.

import type { WorkspaceProvider } from '../model/workspace.js';
import { DEFAULTS } from '../options/defaults.js';
import type { CandidateSpec, JudgeJobSpec, JudgeSpec } from '../workspace/judge/types.js';
import { worktreeWorkspaces } from '../workspace/worktrees.js';
import { pickPhases } from './loaded-phases.js';
import { phaseGraph } from './plan.js';
import { isolationOf } from './plan-phase.js';
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
  const isolated = new Set(
    pickPhases(plan.workflow.phases, (phase) =>
      isolationOf(plan.workflow, phase, plan.settings) === 'worktree' ? phase.id : undefined,
    ),
  );
  if (isolated.size === 0) return null;
  const commits = reused.flatMap((phase) =>
    phase.commit === null ? [] : [[phase.id, phase.commit] as const],
  );
  return worktreeWorkspaces({
    isolated,
    worktreesDir,
    graph: phaseGraph(plan.phases),
    reused: new Map(commits),
    setupOf: (id) =>
      plan.phases.at(plan.phases.indexOf(id))?.workspace ?? {
        copy: [],
        link: [],
        setup: null,
        setupTimeoutSec: 0,
      },
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
  // Only the judges are built (a judge's score file is rendered with its variables).
  let index = -1;
  for (const loaded of plan.workflow.phases) {
    index += 1;
    const phase = loaded.judging === undefined ? undefined : plan.phases.at(index);
    if (phase?.judging == null) continue;
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
