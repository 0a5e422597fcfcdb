// Checks of the files phases share: no output written by two phases, and every input either
// present already or made by a phase that runs before (one it needs, directly or not).
import { existsSync } from 'node:fs';
import path from 'node:path';

import { ancestorsIn } from '../graph/topology.js';
import type { LoadedWorkflow } from './load.js';
import type { PlannedPhase } from './plan.js';
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
  for (const phase of phases) {
    phase.outputs.forEach((output, position) => {
      const key = path.resolve(cwd, output);
      const other = producer.get(key);
      if (other !== undefined) {
        problems.push(
          workflow.source.at(
            ['phases', indexOf(phase), 'outputs', position],
            `output ${output} is also an output of phase ${other.id}: two phases would write one file`,
          ),
        );
      }
      producer.set(key, phase);
    });
  }
  const graph = new Map(phases.map((phase) => [phase.id, { name: phase.id, needs: phase.needs }]));
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
