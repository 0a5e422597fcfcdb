// Planning a workflow run for one feature: variables, directories, and for every phase its
// rendered prompt, its invocation, its outputs and inputs. Still nothing is written.
import path from 'node:path';

import type { AgentAdapter, AgentInvocation, AgentName, AgentRequest } from '../agents/types.js';
import { type BudgetFlags, type BudgetSettings, budgetSettings } from '../budget/settings.js';
import { waves } from '../graph/topology.js';
import { DEFAULTS } from '../options/defaults.js';
import { checkOutputsAndInputs } from './check-files.js';
import type { LoadedWorkflow } from './load.js';
import type { PhaseShape } from './phase-shape.js';
import { planPhase } from './plan-phase.js';
import { type Problem, throwIfProblems } from './problems.js';
import { renderTemplate } from './template.js';
import { DEFAULT_DIRS } from './variables.js';

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
}

/** A whole run, planned. */
export interface WorkflowPlan {
  readonly workflow: LoadedWorkflow;
  readonly feature: string;
  readonly dirs: { readonly feature: string; readonly planning: string; readonly logs: string };
  readonly phases: readonly PlannedPhase[];
  readonly waves: readonly (readonly string[])[];
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

/** Plans the run; throws one UsageError listing every problem found. */
export function planWorkflow(workflow: LoadedWorkflow, settings: RunSettings): WorkflowPlan {
  const problems: Problem[] = [];
  const { declared, source } = workflow;
  const base: Record<string, string> = {
    ...Object.fromEntries(
      Object.entries(declared.vars ?? {}).map(([key, value]) => [key, String(value)]),
    ),
    ...settings.vars,
    FEATURE_NAME: settings.feature,
    WORKFLOW_DIR: path.relative(settings.cwd, workflow.dir) || '.',
    INITIAL_MD_PATH: settings.initialPath ?? '',
    ATTEMPT: String(settings.attempt),
  };
  const render = (text: string, where: (string | number)[], variables: Record<string, string>) => {
    const rendered = renderTemplate(text, variables);
    for (const unknown of rendered.unknown) {
      problems.push(source.at(where, `unknown template variable \${${unknown.name}}`));
    }
    return rendered.text;
  };
  base.FEATURE_DIR = render(
    declared.dirs?.feature ?? DEFAULT_DIRS.feature,
    ['dirs', 'feature'],
    base,
  );
  base.PLANNING_DIR = render(
    declared.dirs?.planning ?? DEFAULT_DIRS.planning,
    ['dirs', 'planning'],
    base,
  );
  base.LOG_DIR = render(declared.dirs?.logs ?? DEFAULT_DIRS.logs, ['dirs', 'logs'], base);
  const dirs = { feature: base.FEATURE_DIR, planning: base.PLANNING_DIR, logs: base.LOG_DIR };
  const phases = workflow.phases.map((phase) => {
    const variables = { ...base, PHASE_NAME: phase.id };
    return planPhase(workflow, phase, settings, variables, (text, where) =>
      render(text, ['phases', phase.index, ...where], variables),
    );
  });
  checkOutputsAndInputs(workflow, phases, settings.cwd, problems);
  throwIfProblems(problems, workflow.file);
  const defaults = declared.defaults ?? {};
  return {
    workflow,
    feature: settings.feature,
    dirs,
    phases,
    waves: waves(phases.map((phase) => ({ name: phase.id, needs: phase.needs }))),
    concurrency: settings.concurrency ?? defaults.concurrency ?? DEFAULTS.concurrency,
    killAfterSec: settings.killAfterSec ?? defaults.kill_after ?? DEFAULTS.killAfterSec,
    staggerSameAgentSec: defaults.stagger_same_agent ?? null,
    failFast: defaults.fail_fast ?? DEFAULTS.failFast,
    settings,
    budget: budgetSettings(
      { ...declared, phases: workflow.phases.map((phase) => phase.declared) },
      settings.budget ?? {},
    ),
  };
}
