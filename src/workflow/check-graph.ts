// Checks of a workflow's phase graph: valid and unique ids, needs that name other phases, no
// cycles; by position, with one map of the ids, so that 100,000 phases leave little behind.
import { didYouMean } from '../names/suggest.js';
import { checkName } from '../names/validate.js';
import type { Problem } from './problems.js';
import type { WorkflowSource } from './source.js';

/** A phase as the graph sees it; `index` is its place in the file (default: its position). */
interface GraphPhase {
  readonly index?: number;
  readonly id: string;
  readonly needs?: readonly string[];
}

/** Adds a problem for each bad or repeated id, each unknown need, and a dependency cycle. */
export function checkIdsAndNeeds(
  phases: readonly GraphPhase[],
  source: WorkflowSource,
  problems: Problem[],
): void {
  // One map of 100,000 ids, by lower case; ids that differ only in case (a problem) on the side.
  const lower = new Map<string, number>();
  const variants = new Map<string, number>();
  phases.forEach((phase, position) => {
    const problem = checkName(phase.id);
    const key = phase.id.toLowerCase();
    const seen = lower.get(key);
    if (problem !== null) {
      problems.push(
        source.at(
          ['phases', phase.index ?? position, 'id'],
          `invalid phase id ${JSON.stringify(phase.id)}: ${problem.why}; ${problem.fix}`,
        ),
      );
    } else if (seen !== undefined) {
      problems.push(
        source.at(
          ['phases', phase.index ?? position, 'id'],
          `phase id "${phase.id}" is used twice (ids are compared ignoring case)`,
        ),
      );
    }
    if (seen === undefined) lower.set(key, position);
    else if (phases[seen]?.id !== phase.id && !variants.has(phase.id))
      variants.set(phase.id, position);
  });
  const positionOf = (id: string): number | undefined => {
    const found = lower.get(id.toLowerCase());
    return found !== undefined && phases[found]?.id === id ? found : variants.get(id);
  };
  phases.forEach((phase, at) => {
    const index = phase.index ?? at;
    (phase.needs ?? []).forEach((need, position) => {
      if (need === phase.id) {
        problems.push(
          source.at(['phases', index, 'needs', position], `phase ${phase.id} needs itself`),
        );
      } else if (positionOf(need) === undefined) {
        const ids = [...new Set(phases.map((known) => known.id))];
        const list = `${ids.slice(0, 10).join(', ')}${ids.length > 10 ? `, ... ${ids.length - 10} more` : ''}`;
        problems.push(
          source.at(
            ['phases', index, 'needs', position],
            `unknown phase "${need}" in needs${didYouMean(need, ids)} (phases: ${list})`,
          ),
        );
      }
    });
  });
  const cycle = findCycle(phases, positionOf);
  if (cycle !== null) {
    const at = Math.max(
      0,
      phases.findIndex((phase) => phase.id === cycle[0]),
    );
    problems.push(
      source.at(
        ['phases', phases[at]?.index ?? at, 'needs'],
        `dependency cycle: ${cycle.join(' -> ')}`,
      ),
    );
  }
}

/** The first dependency cycle, as ids that end where they start; null if none. Depth-first by
 * position with an explicit stack (no recursion) and a byte of state a phase. */
function findCycle(
  phases: readonly GraphPhase[],
  positionOf: (id: string) => number | undefined,
): string[] | null {
  const VISITING = 1;
  const DONE = 2;
  const state = new Uint8Array(phases.length);
  const path: number[] = [];
  const next: number[] = [];
  for (let start = 0; start < phases.length; start += 1) {
    if (state[start] !== 0) continue;
    path.push(start);
    next.push(0);
    state[start] = VISITING;
    while (path.length > 0) {
      const top = path.length - 1;
      const node = path[top] as number;
      const needs = phases[node]?.needs ?? [];
      const index = next[top] as number;
      if (index >= needs.length) {
        state[node] = DONE;
        path.pop();
        next.pop();
        continue;
      }
      next[top] = index + 1;
      const need = positionOf(needs[index] as string);
      if (need === undefined) continue;
      if (state[need] === VISITING) {
        const ids = path.slice(path.indexOf(need)).map((at) => phases[at]?.id as string);
        return [...ids, phases[need]?.id as string];
      }
      if (state[need] === 0) {
        state[need] = VISITING;
        path.push(need);
        next.push(0);
      }
    }
  }
  return null;
}
