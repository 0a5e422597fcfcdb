// Checks of the files phases share: no output written by two phases, and every input either
// present already or made by a phase that runs before (one it needs, directly or not); and
// that dependents of best-of-N phases are isolated.
import { existsSync } from 'node:fs';
import path from 'node:path';

import { ancestorsIn } from '../graph/topology.js';
import type { LoadedWorkflow } from './load.js';
import { phaseGraph } from './plan.js';
import type { PlannedPhase } from './plan-types.js';
import type { Problem } from './problems.js';

/** Adds a problem for each output two phases write and each input no earlier phase makes. */
export function checkOutputsAndInputs(
  workflow: LoadedWorkflow,
  phases: readonly PlannedPhase[],
  cwd: string,
  problems: Problem[],
): void {
  const producer = new Map<string, PlannedPhase>();
  const positions = new Map(phases.map((phase, index) => [phase, index]));
  const indexOf = (phase: PlannedPhase) => positions.get(phase) ?? 0;
  const byId = new Map(phases.map((phase) => [phase.id, phase]));
  // A candidate's outputs are its phase's: the judge (under the phase's id) makes one of them its result.
  const owner = (phase: PlannedPhase) =>
    (phase.candidate === null ? undefined : byId.get(phase.candidate.of)) ?? phase;
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
  const graph = new Map(phaseGraph(phases).map((node) => [node.name, node]));
  for (const phase of phases) {
    // Walked only for an input made by a phase it does not need directly.
    let before: Set<string> | null = null;
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
      if (from === phase || phase.needs.includes(from.id)) return;
      before ??= ancestorsIn(graph, phase.id);
      if (before.has(from.id)) return;
      problems.push(
        workflow.source.at(
          ['phases', indexOf(phase), 'inputs', position],
          `input ${input} is an output of phase ${from.id}, which ${phase.id} does not need: they may run at the same time (add ${from.id} to needs, or drop the input)`,
        ),
      );
    });
  }
}

/** Phases that need a best-of-N phase start from its winner's commit, so they must be isolated. */
export function checkJudgedNeeds(
  workflow: LoadedWorkflow,
  phases: readonly PlannedPhase[],
  problems: Problem[],
): void {
  const judged = new Set(phases.flatMap((phase) => (phase.judging === null ? [] : [phase.id])));
  if (judged.size === 0) return;
  const indexOf = new Map(workflow.phases.map((loaded) => [loaded.id, loaded.index]));
  for (const phase of phases) {
    const needed = phase.needs.filter((need) => judged.has(need));
    if (needed.length > 0 && phase.isolation !== 'worktree') {
      problems.push(
        workflow.source.at(
          ['phases', indexOf.get(phase.id) ?? 0, 'needs'],
          `phase ${phase.id} needs ${needed.join(', ')}, whose result is the winning candidate's commit: give ${phase.id} isolation: worktree to start from it`,
        ),
      );
    }
  }
}
