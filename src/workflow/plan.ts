// Planning a workflow run for one feature: variables, directories, and for every phase its
// rendered prompt, its invocation, its outputs and inputs. Still nothing is written.
import path from 'node:path';

import { budgetSettings } from '../budget/settings.js';
import { waves } from '../graph/topology.js';
import { DEFAULTS } from '../options/defaults.js';
import { checkJudgedNeeds, checkOutputsAndInputs } from './check-files.js';
import type { LoadedWorkflow } from './load.js';
import { isolationOf, planPhase } from './plan-phase.js';
import type { PlannedPhase, RunSettings, WorkflowPlan } from './plan-types.js';
import { type Problem, throwIfProblems } from './problems.js';
import { renderTemplate } from './template.js';
import { DEFAULT_DIRS } from './variables.js';

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
    const isolated = isolationOf(workflow, phase, settings) === 'worktree';
    // An isolated phase's logs and side files stay out of its worktree (and out of its commit).
    const logDir = isolated ? path.resolve(settings.cwd, base.LOG_DIR ?? '') : base.LOG_DIR;
    const variables = { ...base, LOG_DIR: logDir ?? '', PHASE_NAME: phase.id };
    return planPhase(workflow, phase, settings, variables, (text, where) =>
      render(text, ['phases', phase.index, ...where], variables),
    );
  });
  checkOutputsAndInputs(workflow, phases, settings.cwd, problems);
  checkJudgedNeeds(workflow, phases, problems);
  throwIfProblems(problems, workflow.file);
  const defaults = declared.defaults ?? {};
  return {
    workflow,
    feature: settings.feature,
    dirs,
    phases,
    waves: waves(phaseGraph(phases)),
    concurrency: settings.concurrency ?? defaults.concurrency ?? DEFAULTS.concurrency,
    killAfterSec: settings.killAfterSec ?? defaults.kill_after ?? DEFAULTS.killAfterSec,
    staggerSameAgentSec: defaults.stagger_same_agent ?? null,
    failFast: defaults.fail_fast ?? DEFAULTS.failFast,
    settings,
    budget: budgetSettings(
      {
        ...declared,
        // A best-of-N phase's budget is its own, over its candidates (which carry a copy).
        phases: workflow.phases.map((phase) => ({
          id: phase.candidate?.of ?? phase.id,
          budget: phase.declared.budget,
        })),
      },
      settings.budget ?? {},
    ),
  };
}

/** The phases as a graph: what each waits for, its needs and (a judge) its candidates. */
export function phaseGraph(
  phases: readonly PlannedPhase[],
): { name: string; needs: readonly string[] }[] {
  return phases.map((phase) => ({
    name: phase.id,
    needs: phase.after.length === 0 ? phase.needs : [...phase.needs, ...phase.after],
  }));
}
