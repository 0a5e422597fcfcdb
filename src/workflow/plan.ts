// Planning a workflow run for one feature: variables, directories, and for every phase its
// rendered prompt, its invocation, its outputs and inputs, checked once; the plan keeps only
// what it needs to build each phase again when it is printed or run. Still nothing is written.
import path from 'node:path';

import { budgetSettings } from '../budget/settings.js';
import { DEFAULTS } from '../options/defaults.js';
import { checkJudgedNeeds, FileCheck } from './check-files.js';
import type { LoadedWorkflow } from './load.js';
import { pickPhases } from './loaded-phases.js';
import { phaseList } from './phase-list.js';
import { phaseWaves } from './phase-waves.js';
import type { PhaseList, RunSettings, WorkflowPlan } from './plan-types.js';
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
  const phases = phaseList(workflow, settings, base);
  // Every phase planned once, to find its problems (and its files'), then let go.
  const files = new FileCheck(workflow, settings.cwd, problems);
  for (let index = 0; index < phases.length; index += 1) {
    const where = ['phases', workflow.phases.at(index)?.index ?? 0];
    const phase = phases.planAt(index, (name, at) =>
      problems.push(source.at([...where, ...at], `unknown template variable \${${name}}`)),
    );
    files.add(index, phase);
  }
  files.finish(phases);
  checkJudgedNeeds(workflow, settings, problems);
  throwIfProblems(problems, workflow.file);
  const defaults = declared.defaults ?? {};
  return {
    workflow,
    feature: settings.feature,
    dirs,
    phases,
    waves: phaseWaves(phases.ids, phases.waitsFor),
    concurrency: settings.concurrency ?? defaults.concurrency ?? DEFAULTS.concurrency,
    killAfterSec: settings.killAfterSec ?? defaults.kill_after ?? DEFAULTS.killAfterSec,
    staggerSameAgentSec: defaults.stagger_same_agent ?? null,
    failFast: defaults.fail_fast ?? DEFAULTS.failFast,
    settings,
    budget: budgetSettings(
      {
        ...declared,
        // A best-of-N phase's budget is its own, over its candidates (which carry a copy).
        phases: pickPhases(workflow.phases, (phase) =>
          phase.declared.budget === undefined
            ? undefined
            : { id: phase.candidate?.of ?? phase.id, budget: phase.declared.budget },
        ),
      },
      settings.budget ?? {},
    ),
  };
}

/** The phases as a graph: what each waits for, its needs and (a judge) its candidates. */
export function phaseGraph(phases: PhaseList): { name: string; needs: readonly string[] }[] {
  return phases.ids.map((name, index) => ({
    name,
    needs: phases.waitsFor(index).map((need) => phases.ids[need] as string),
  }));
}
