// The checks of a planned workflow across phases: outputs written by one phase only, inputs that
// exist or come from a phase that is needed, and dependents of best-of-N phases isolated.
import { existsSync } from 'node:fs';
import path from 'node:path';

import { ancestors } from '../graph/topology.js';
import type { LoadedWorkflow } from './load.js';
import { type PlannedPhase, phaseGraph } from './plan.js';
import type { Problem } from './problems.js';

/** Phases that need a best-of-N phase start from its winner's commit, so they must be isolated. */
export function checkJudgedNeeds(
  workflow: LoadedWorkflow,
  phases: readonly PlannedPhase[],
  problems: Problem[],
): void {
  for (const phase of phases) {
    const judged = phase.needs.filter((need) =>
      phases.some((other) => other.id === need && other.judging !== null),
    );
    if (judged.length > 0 && phase.isolation !== 'worktree') {
      problems.push(
        workflow.source.at(
          ['phases', workflow.phases.find((loaded) => loaded.id === phase.id)?.index ?? 0, 'needs'],
          `phase ${phase.id} needs ${judged.join(', ')}, whose result is the winning candidate's commit: give ${phase.id} isolation: worktree to start from it`,
        ),
      );
    }
  }
}

/** Each output has one producer; each input exists or is produced by a phase that is needed. */
export function checkOutputsAndInputs(
  workflow: LoadedWorkflow,
  phases: readonly PlannedPhase[],
  cwd: string,
  problems: Problem[],
): void {
  const producer = new Map<string, PlannedPhase>();
  const indexOf = (phase: PlannedPhase) => phases.indexOf(phase);
  // A candidate's outputs are its phase's: the judge (under the phase's id) makes one of them its result.
  const owner = (phase: PlannedPhase) =>
    phases.find((other) => phase.candidate !== null && other.id === phase.candidate.of) ?? phase;
  for (const phase of phases) {
    phase.outputs.forEach((output, position) => {
      const key = path.resolve(cwd, output);
      const other = producer.get(key);
      if (other !== undefined && other !== owner(phase)) {
        problems.push(
          workflow.source.at(
            ['phases', indexOf(phase), 'outputs', position],
            `output ${output} is also an output of phase ${other.id}: two phases would write one file`,
          ),
        );
      }
      producer.set(key, owner(phase));
    });
  }
  const graph = phaseGraph(phases);
  for (const phase of phases) {
    const before = ancestors(graph, phase.id);
    phase.inputs.forEach((input, position) => {
      const from = producer.get(path.resolve(cwd, input));
      const where = ['phases', indexOf(phase), 'inputs', position];
      if (from === undefined) {
        if (input === '')
          problems.push(
            workflow.source.at(
              where,
              'input is empty (a variable such as ${INITIAL_MD_PATH} is not set: pass --initial FILE)',
            ),
          );
        else if (!existsSync(path.resolve(cwd, input))) {
          problems.push(
            workflow.source.at(where, `input ${input} does not exist, and no phase produces it`),
          );
        }
        return;
      }
      if (from === phase || before.has(from.id)) return;
      problems.push(
        workflow.source.at(
          ['phases', indexOf(phase), 'inputs', position],
          `input ${input} is an output of phase ${from.id}, which ${phase.id} does not need: they may run at the same time (add ${from.id} to needs, or drop the input)`,
        ),
      );
    });
  }
}
