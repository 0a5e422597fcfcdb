// Checks of the files phases share: no output written by two phases, and every input either
// present already or made by a phase that runs before (one it needs, directly or not); and
// that dependents of best-of-N phases are isolated. Phases are shown one at a time (planning
// does not keep them), and only what the checks need is kept of each.
import { existsSync } from 'node:fs';
import path from 'node:path';

import { ancestorsIn, type GraphNode } from '../graph/topology.js';
import type { LoadedWorkflow } from './load.js';
import { pickPhases } from './loaded-phases.js';
import { phaseGraph } from './plan.js';
import { isolationOf } from './plan-phase.js';
import type { PhaseList, PlannedPhase, RunSettings } from './plan-types.js';
import type { Problem } from './problems.js';

/** A phase's inputs, kept for the check at the end (when every producer is known). */
interface Reading {
  readonly id: string;
  readonly at: number;
  readonly needs: readonly string[];
  readonly inputs: readonly string[];
}

/** Adds a problem for each output two phases write and each input no earlier phase makes. */
export class FileCheck {
  /** The phase (a candidate's: its phase) that writes each output, by absolute path. */
  private readonly producer = new Map<string, string>();
  private readonly readings: Reading[] = [];

  constructor(
    private readonly workflow: LoadedWorkflow,
    private readonly cwd: string,
    private readonly problems: Problem[],
  ) {}

  /** Notes the outputs and inputs of phase number `index`. */
  add(index: number, phase: PlannedPhase): void {
    const at = this.workflow.phases.at(index)?.index ?? 0;
    // A candidate's outputs are its phase's: the judge (under the phase's id) makes one of them its result.
    const owner = phase.candidate?.of ?? phase.id;
    phase.outputs.forEach((output, position) => {
      const key = path.resolve(this.cwd, output);
      const other = this.producer.get(key);
      if (other !== undefined && other !== owner) {
        this.problems.push(
          this.workflow.source.at(
            ['phases', at, 'outputs', position],
            `output ${output} is also an output of phase ${other}: two phases would write one file`,
          ),
        );
      }
      this.producer.set(key, owner);
    });
    if (phase.inputs.length > 0)
      this.readings.push({ id: phase.id, at, needs: phase.needs, inputs: phase.inputs });
  }

  /** Checks every input noted against every output noted. */
  finish(phases: PhaseList): void {
    let graph: Map<string, GraphNode> | null = null;
    for (const phase of this.readings) {
      // Walked only for an input made by a phase it does not need directly.
      let before: Set<string> | null = null;
      phase.inputs.forEach((input, position) => {
        const from = this.producer.get(path.resolve(this.cwd, input));
        const where = ['phases', phase.at, 'inputs', position];
        if (from === undefined) {
          if (input === '')
            this.problems.push(
              this.workflow.source.at(
                where,
                'input is empty (a variable such as ${INITIAL_MD_PATH} is not set: pass --initial FILE)',
              ),
            );
          else if (!existsSync(path.resolve(this.cwd, input))) {
            this.problems.push(
              this.workflow.source.at(
                where,
                `input ${input} does not exist, and no phase produces it`,
              ),
            );
          }
          return;
        }
        if (from === phase.id || phase.needs.includes(from)) return;
        graph ??= new Map(phaseGraph(phases).map((node) => [node.name, node]));
        before ??= ancestorsIn(graph, phase.id);
        if (before.has(from)) return;
        this.problems.push(
          this.workflow.source.at(
            where,
            `input ${input} is an output of phase ${from}, which ${phase.id} does not need: they may run at the same time (add ${from} to needs, or drop the input)`,
          ),
        );
      });
    }
  }
}

/** Phases that need a best-of-N phase start from its winner's commit, so they must be isolated. */
export function checkJudgedNeeds(
  workflow: LoadedWorkflow,
  settings: RunSettings,
  problems: Problem[],
): void {
  const judged = new Set(
    pickPhases(workflow.phases, (phase) => (phase.judging === undefined ? undefined : phase.id)),
  );
  if (judged.size === 0) return;
  for (const phase of workflow.phases) {
    const needed = phase.needs.filter((need) => judged.has(need));
    if (needed.length > 0 && isolationOf(workflow, phase, settings) !== 'worktree') {
      problems.push(
        workflow.source.at(
          ['phases', phase.index, 'needs'],
          `phase ${phase.id} needs ${needed.join(', ')}, whose result is the winning candidate's commit: give ${phase.id} isolation: worktree to start from it`,
        ),
      );
    }
  }
}
