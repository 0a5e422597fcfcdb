// The loaded phases of a workflow, by position. A workflow without best-of-N phases keeps only
// its checked phases and the text of each prompt file: each phase's loaded form (its agent,
// needs, prompt file and template) is built again when it is asked for, so that 100,000 phases
// do not each keep a second object beside the parsed one.
import path from 'node:path';

import type { LoadedPhase } from './load.js';
import type { WorkflowFile } from './schema.js';

/** The phases of a loaded workflow (an array of them is one too). */
export interface LoadedPhases extends Iterable<LoadedPhase> {
  readonly length: number;
  /** Phase number `index` (from 0); undefined past the last. */
  at(index: number): LoadedPhase | undefined;
}

/** The agent of a declared phase: its own, else the workflow's default, else codex. */
export function declaredAgent(
  phase: WorkflowFile['phases'][number],
  declared: WorkflowFile,
): LoadedPhase['agent'] {
  return phase.agent ?? declared.defaults?.agent ?? 'codex';
}

/** The loaded form of checked phase number `index`, with its prompt file and text. */
export function loadedForm(
  phase: WorkflowFile['phases'][number],
  index: number,
  agent: LoadedPhase['agent'],
  promptFile: string | null,
  promptTemplate: string | null,
): LoadedPhase {
  const needs = phase.needs ?? [];
  return { index, id: phase.id, agent, needs, declared: phase, promptFile, promptTemplate };
}

/** The phases of `declared` (none with candidates), whose prompt files' texts are `templates`. */
export function derivedPhases(
  declared: WorkflowFile,
  dir: string,
  templates: ReadonlyMap<string, string>,
): LoadedPhases {
  const phases = declared.phases;
  const at = (index: number): LoadedPhase | undefined => {
    const phase = Number.isInteger(index) ? phases[index] : undefined;
    if (phase === undefined) return undefined;
    const agent = declaredAgent(phase, declared);
    const promptFile =
      agent === 'command' || phase.prompt === undefined ? null : path.resolve(dir, phase.prompt);
    const promptTemplate = promptFile === null ? null : (templates.get(promptFile) ?? null);
    return loadedForm(phase, index, agent, promptFile, promptTemplate);
  };
  return {
    length: phases.length,
    at,
    *[Symbol.iterator]() {
      for (let index = 0; index < phases.length; index += 1) yield at(index) as LoadedPhase;
    },
  };
}

/** Each phase for which `pick` gives a value, that value (the phases built one at a time). */
export function pickPhases<T>(
  phases: LoadedPhases,
  pick: (phase: LoadedPhase) => T | undefined,
): T[] {
  const picked: T[] = [];
  for (const phase of phases) {
    const value = pick(phase);
    if (value !== undefined) picked.push(value);
  }
  return picked;
}
