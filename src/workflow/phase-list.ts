// The phases of a planned run as a compact list: the ids, their positions and the checked
// workflow; each phase is planned (rendered, its request, invocation, shape and environment
// built) only when it is asked for, by position, the way the engine takes jobs from a source.
import path from 'node:path';

import type { LoadedPhase, LoadedWorkflow } from './load.js';
import { pickPhases } from './loaded-phases.js';
import { isolationOf, planPhase } from './plan-phase.js';
import type { PhaseList, PlannedPhase, RunSettings } from './plan-types.js';
import { renderTemplate } from './template.js';

/** Told of each unknown template variable a rendered text of phase `index` refers to. */
export type UnknownVariable = (name: string, where: (string | number)[]) => void;

/** The list, and a way to plan one phase while noting its unknown variables (the first pass). */
export interface PlannedPhases extends PhaseList {
  planAt(index: number, unknown: UnknownVariable): PlannedPhase;
}

const IGNORE: UnknownVariable = () => {};

/** The phases of `workflow` for `settings`, whose shared variables are `base`. */
export function phaseList(
  workflow: LoadedWorkflow,
  settings: RunSettings,
  base: Readonly<Record<string, string>>,
): PlannedPhases {
  const loaded = workflow.phases;
  const ids = pickPhases(loaded, (phase) => phase.id);
  // Set one by one: a list of 100,000 [id, position] pairs would live long enough to be promoted.
  const positions = new Map<string, number>();
  ids.forEach((id, index) => {
    positions.set(id, index);
  });
  const variablesOf = (phase: LoadedPhase): Record<string, string> => {
    // An isolated phase's logs and side files stay out of its worktree (and out of its commit).
    const isolated = isolationOf(workflow, phase, settings) === 'worktree';
    const logDir = isolated ? path.resolve(settings.cwd, base.LOG_DIR ?? '') : base.LOG_DIR;
    // Object.assign, not a spread: V8 gives each spread copy that gains a key a hidden class of
    // its own (in the old space: 100,000 of them grew the heap by 70 MB and took seconds).
    const variables: Record<string, string> = Object.assign({}, base);
    variables.LOG_DIR = logDir ?? '';
    variables.PHASE_NAME = phase.id;
    return variables;
  };
  const planAt = (index: number, unknown: UnknownVariable): PlannedPhase => {
    const phase = loaded.at(index) as LoadedPhase;
    const variables = variablesOf(phase);
    return planPhase(workflow, phase, settings, variables, (text, where) => {
      const rendered = renderTemplate(text, variables);
      for (const found of rendered.unknown) unknown(found.name, where);
      return rendered.text;
    });
  };
  const at = (index: number) =>
    index >= 0 && index < loaded.length && Number.isInteger(index)
      ? planAt(index, IGNORE)
      : undefined;
  return {
    length: loaded.length,
    ids,
    at,
    planAt,
    indexOf: (id) => positions.get(id) ?? -1,
    waitsFor: (index) => {
      const phase = loaded.at(index);
      if (phase === undefined) return [];
      const named = phase.after === undefined ? phase.needs : [...phase.needs, ...phase.after];
      return named.flatMap((id) => positions.get(id) ?? []);
    },
    *envs() {
      for (const phase of loaded) yield Object.assign(variablesOf(phase), phase.declared.env);
    },
    *[Symbol.iterator]() {
      for (let index = 0; index < loaded.length; index += 1) yield planAt(index, IGNORE);
    },
  };
}
