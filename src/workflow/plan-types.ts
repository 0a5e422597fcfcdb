// The shapes of a planned workflow run: what the caller decides, each phase ready to become a
// job, and the whole run.
import type { AgentAdapter, AgentInvocation, AgentName, AgentRequest } from '../agents/types.js';
import type { BudgetFlags, BudgetSettings } from '../budget/settings.js';
import type { WorkspaceSetup } from '../workspace/setup.js';
import type { CandidateOf, Judging } from './candidates.js';
import type { LoadedWorkflow } from './load.js';
import type { PhaseShape } from './phase-shape.js';
import type { PhaseWaves } from './phase-waves.js';

/** What the caller of a run decides. */
export interface RunSettings {
  readonly feature: string;
  readonly initialPath: string | null;
  readonly vars: Readonly<Record<string, string>>;
  readonly agent: AgentName | null;
  readonly timeoutSec: number | null;
  readonly idleTimeoutSec: number | null;
  readonly killAfterSec: number | null;
  readonly concurrency: number | null;
  readonly attempt: number;
  /** Replaces the min_score of every phase that has one. */
  readonly minScore: number | null;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** --max-cost, --max-tokens, --budget-soft, --limit, --prices. */
  readonly budget?: BudgetFlags;
  /** Run every phase in its own worktree (--isolate), whatever the workflow says. */
  readonly isolate?: boolean;
}

/** One phase, ready to become a job. */
export interface PlannedPhase {
  readonly id: string;
  readonly agent: AgentName;
  readonly adapter: AgentAdapter;
  readonly needs: readonly string[];
  readonly timeoutSec: number;
  readonly idleTimeoutSec: number;
  readonly prompt: string | null;
  readonly promptFile: string | null;
  /** sha256 of the rendered prompt, or of the command for command phases. */
  readonly sha256: string;
  /** Everything that shapes the phase, part by part: what --resume compares. */
  readonly shape: PhaseShape;
  /** The settings the invocation is built from; built again at preflight for the installed CLI. */
  readonly request: AgentRequest;
  /** The invocation as planned (for the newest CLI; the run rebuilds it after preflight). */
  readonly invocation: AgentInvocation;
  /** Where each mode setting of the phase was declared (the phase, or the defaults). */
  readonly modePaths: Readonly<Record<string, readonly (string | number)[]>>;
  /** `per-job`: the agent's state directory (CODEX_HOME, CLAUDE_CONFIG_DIR) is the job's own. */
  readonly agentHome: 'shared' | 'per-job';
  readonly outputs: readonly string[];
  readonly inputs: readonly string[];
  /** Tags of the pool workers that may run it (--redis); empty: any worker. */
  readonly runsOn: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** The least "Score: N/10" the first output must show; null for no score check. */
  readonly minScore: number | null;
  /** The USD the phase declares it needs (`expect_cost`), checked against the budget left. */
  readonly expectCostUsd: number | null;
  /** Whether the phase runs in its own git worktree. */
  readonly isolation: 'none' | 'worktree';
  /** What its worktree gets before it starts. */
  readonly workspace: WorkspaceSetup;
  /** Phases that must have ended (any outcome) before it starts: a judge's candidates. */
  readonly after: readonly string[];
  /** Set on a candidate of a best-of-N phase. */
  readonly candidate: CandidateOf | null;
  /** Set on the judge of a best-of-N phase. */
  readonly judging: Judging | null;
}

/**
 * The planned phases of a run, by position. Only the ids and the graph are kept; each phase's
 * request, invocation, environment and shape are built again from the checked workflow when it
 * is asked for, so that a plan of 100,000 phases holds little more than its workflow.
 */
export interface PhaseList extends Iterable<PlannedPhase> {
  readonly length: number;
  /** Phase number `index` (from 0), built anew at each call; undefined past the last. */
  at(index: number): PlannedPhase | undefined;
  /** Every phase's id, in order. */
  readonly ids: readonly string[];
  /** The position of phase `id`; -1 when there is none. */
  indexOf(id: string): number;
  /** The positions of the phases that phase `index` waits for (its needs, then `after`). */
  waitsFor(index: number): readonly number[];
  /** Every phase's environment (its variables and env:), built one at a time. */
  envs(): Iterable<Readonly<Record<string, string>>>;
}

/** A whole run, planned. */
export interface WorkflowPlan {
  readonly workflow: LoadedWorkflow;
  readonly feature: string;
  readonly dirs: { readonly feature: string; readonly planning: string; readonly logs: string };
  readonly phases: PhaseList;
  readonly waves: PhaseWaves;
  readonly concurrency: number;
  readonly killAfterSec: number;
  /** Seconds between two starts of one agent CLI; null when the workflow does not say. */
  readonly staggerSameAgentSec: number | null;
  /** defaults.fail_fast: stop the run at the first phase that does not succeed. */
  readonly failFast: boolean;
  readonly settings: RunSettings;
  /** Budgets, per-agent caps and the price table. */
  readonly budget: BudgetSettings;
}
