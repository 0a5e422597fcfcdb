// Checks of a workflow's phase graph: valid and unique ids, needs that name other phases, no cycles.
import { findCycle } from '../graph/topology.js';
import { didYouMean } from '../names/suggest.js';
import { checkName } from '../names/validate.js';
import type { LoadedPhase } from './load.js';
import type { Problem } from './problems.js';
import type { WorkflowSource } from './source.js';

/** Adds a problem for each bad or repeated id, each unknown need, and a dependency cycle. */
export function checkIdsAndNeeds(
  phases: readonly Pick<LoadedPhase, 'index' | 'id' | 'needs'>[],
  source: WorkflowSource,
  problems: Problem[],
): void {
  const ids = new Map<string, number>();
  for (const phase of phases) {
    const problem = checkName(phase.id);
    if (problem !== null) {
      problems.push(
        source.at(
          ['phases', phase.index, 'id'],
          `invalid phase id ${JSON.stringify(phase.id)}: ${problem.why}; ${problem.fix}`,
        ),
      );
    } else if (ids.has(phase.id.toLowerCase())) {
      problems.push(
        source.at(
          ['phases', phase.index, 'id'],
          `phase id "${phase.id}" is used twice (ids are compared ignoring case)`,
        ),
      );
    }
    ids.set(phase.id.toLowerCase(), phase.index);
  }
  const known = new Set(phases.map((phase) => phase.id));
  for (const phase of phases) {
    phase.needs.forEach((need, position) => {
      if (need === phase.id) {
        problems.push(
          source.at(['phases', phase.index, 'needs', position], `phase ${phase.id} needs itself`),
        );
      } else if (!known.has(need)) {
        const ids = [...known];
        const list = `${ids.slice(0, 10).join(', ')}${ids.length > 10 ? `, ... ${ids.length - 10} more` : ''}`;
        problems.push(
          source.at(
            ['phases', phase.index, 'needs', position],
            `unknown phase "${need}" in needs${didYouMean(need, ids)} (phases: ${list})`,
          ),
        );
      }
    });
  }
  const cycle = findCycle(phases.map((phase) => ({ name: phase.id, needs: phase.needs })));
  if (cycle !== null) {
    const first = phases.find((phase) => phase.id === cycle[0]);
    problems.push(
      source.at(['phases', first?.index ?? 0, 'needs'], `dependency cycle: ${cycle.join(' -> ')}`),
    );
  }
}
