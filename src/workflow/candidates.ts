// Best-of-N: a phase with `candidates` becomes N candidate phases ID-c1..ID-cN, each isolated in
// its own worktree and run at once, and a judge phase under the phase's own id that waits for
// all of them (whatever their outcome) and makes the winner's commit the phase's result, so
// that dependents start from it.
import { checkName } from '../names/validate.js';
import type { LoadedPhase } from './load.js';
import type { Problem } from './problems.js';
import type { JudgeFile, PhaseFile } from './schema.js';
import type { WorkflowSource } from './source.js';

/** A candidate phase's place: which phase it is a candidate of, and its number (from 1). */
export interface CandidateOf {
  readonly of: string;
  readonly index: number;
}

/** What a judge phase judges. */
export interface Judging {
  readonly candidates: readonly string[];
  readonly judge: JudgeFile;
}

/** The name of candidate `index` of phase `id`. */
export function candidateId(id: string, index: number): string {
  return `${id}-c${index}`;
}

/** Replaces every phase with candidates by its candidates and its judge. */
export function expandCandidates(
  phases: readonly LoadedPhase[],
  load: (declared: PhaseFile, index: number) => LoadedPhase,
  source: WorkflowSource,
  problems: Problem[],
): LoadedPhase[] {
  return phases.flatMap((phase) => {
    const { candidates, judge, ...declared } = phase.declared;
    const at = (key: string, message: string) =>
      problems.push(source.at(['phases', phase.index, key], message));
    if (candidates === undefined) {
      if (judge !== undefined)
        at('judge', 'a judge chooses among candidates, and this phase has no "candidates"');
      return [phase];
    }
    if (judge === undefined) {
      at(
        'candidates',
        'candidates need a "judge": { command: ... }, { score: FILE } or { agent: ..., prompt: ... }',
      );
      return [phase];
    }
    const overrides: readonly Partial<PhaseFile>[] =
      typeof candidates === 'number' ? Array.from({ length: candidates }, () => ({})) : candidates;
    const ids = overrides.map((_, position) => candidateId(phase.id, position + 1));
    const tooLong = ids.map((id) => checkName(id)).find((problem) => problem !== null);
    if (tooLong)
      at('candidates', `the candidates' names (${ids[0]}, ...) are not valid: ${tooLong.why}`);
    const made = overrides.map((override, position) => {
      const agentChanged = override.agent !== undefined && override.agent !== declared.agent;
      const base: PhaseFile = agentChanged
        ? {
            ...withoutRun(declared),
            ...(override.agent === 'command' ? {} : { prompt: declared.prompt }),
          }
        : declared;
      const loaded = load(
        { ...base, ...override, id: ids[position] ?? phase.id, isolation: 'worktree' },
        phase.index,
      );
      return { ...loaded, candidate: { of: phase.id, index: position + 1 } };
    });
    const judgeDeclared: PhaseFile =
      'agent' in judge
        ? {
            id: phase.id,
            agent: judge.agent,
            prompt: judge.prompt,
            isolation: 'worktree',
            ...(judge.model === undefined ? {} : { model: judge.model }),
          }
        : { id: phase.id, agent: 'command', command: ':' };
    const judging = {
      ...load(judgeDeclared, phase.index),
      needs: [],
      after: ids,
      judging: { candidates: ids, judge },
    };
    return [...made, judging];
  });
}

function withoutRun(declared: PhaseFile): PhaseFile {
  const { command: _command, argv: _argv, prompt: _prompt, ...rest } = declared;
  return rest;
}
