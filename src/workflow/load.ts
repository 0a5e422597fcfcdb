// Loading a workflow: parse, check the shape, then check what the shape cannot say
// (ids, needs, cycles, prompt files, template variables), every problem with its place.
import path from 'node:path';

import type { AgentName } from '../agents/types.js';
import { checkName } from '../names/validate.js';
import { type CandidateOf, expandCandidates, type Judging } from './candidates.js';
import { checkIdsAndNeeds } from './check-graph.js';
import { checkShape } from './check-shape.js';
import { checkVariableNames } from './check-variables.js';
import { loadPhase } from './load-phase.js';
import { derivedPhases, type LoadedPhases } from './loaded-phases.js';
import type { Problem } from './problems.js';
import { throwIfProblems } from './problems.js';
import type { PhaseFile, WorkflowFile } from './schema.js';
import { schemaProblems } from './schema-problems.js';
import { readWorkflowSource, type WorkflowSource } from './source.js';
import { BUILTIN_VARIABLES } from './variables.js';

/** A phase as declared, with its prompt template read. */
export interface LoadedPhase {
  readonly index: number;
  readonly id: string;
  readonly agent: AgentName;
  readonly needs: readonly string[];
  readonly declared: PhaseFile;
  /** Absolute path of the prompt file, and its text (unrendered). */
  readonly promptFile: string | null;
  readonly promptTemplate: string | null;
  /** Phases that must have ended (any outcome) first: a judge's candidates. */
  readonly after?: readonly string[];
  /** Set on a candidate of a best-of-N phase. */
  readonly candidate?: CandidateOf;
  /** Set on the judge of a best-of-N phase (under the phase's own id). */
  readonly judging?: Judging;
}

/** A workflow that passed every check that does not depend on the run's variables. */
export interface LoadedWorkflow {
  readonly file: string;
  readonly dir: string;
  readonly name: string;
  readonly declared: WorkflowFile;
  readonly phases: LoadedPhases;
  readonly source: WorkflowSource;
}

/** The phases of a workflow that failed the schema check, as far as their ids and needs go. */
function readablePhases(data: unknown): Pick<LoadedPhase, 'index' | 'id' | 'needs'>[] {
  const phases = (data as { phases?: unknown } | null)?.phases;
  if (!Array.isArray(phases)) return [];
  return phases.flatMap((phase: unknown, index) => {
    const { id, needs } = (phase ?? {}) as { id?: unknown; needs?: unknown };
    if (typeof id !== 'string') return [];
    const named = Array.isArray(needs) ? needs.filter((need) => typeof need === 'string') : [];
    return [{ index, id, needs: named }];
  });
}

/** Reads and checks a workflow file; throws one UsageError listing every problem. */
export function loadWorkflow(
  file: string,
  extraVariables: readonly string[] = [],
  /** Keys set on phases by the caller (prp generate --candidates), by phase id. */
  phaseOverrides: Readonly<Record<string, Partial<PhaseFile>>> = {},
): LoadedWorkflow {
  const source = readWorkflowSource(file);
  throwIfProblems(source.syntaxProblems, file);
  const checked = checkShape(source.data);
  if (checked.data === null) {
    // The graph's problems too, from what could be read of the phases: every problem at once.
    const problems = schemaProblems(checked.issues, source);
    checkIdsAndNeeds(readablePhases(source.data), source, problems);
    throwIfProblems(problems, file);
  }
  const given = checked.data as WorkflowFile;
  const declared: WorkflowFile = {
    ...given,
    // Copied only where the caller changes something (100,000 phases are not copied for nothing).
    phases: given.phases.map((phase) => {
      const override = phaseOverrides[phase.id];
      return override === undefined ? phase : { ...phase, ...override };
    }),
  };
  const dir = path.dirname(path.resolve(file));
  const problems: Problem[] = [];
  const known = new Set([
    ...BUILTIN_VARIABLES,
    ...Object.keys(declared.vars ?? {}),
    ...extraVariables,
  ]);
  checkVariableNames(declared, source, problems);
  if (declared.name !== undefined) {
    const problem = checkName(declared.name);
    if (problem !== null) {
      problems.push(
        source.at(
          ['name'],
          `invalid workflow name ${JSON.stringify(declared.name)}: ${problem.why}; ${problem.fix}`,
        ),
      );
    }
  }
  const phases = loadPhases(declared, dir, source, known, problems);
  throwIfProblems(problems, file);
  const name = declared.name ?? path.basename(file).replace(/\.(ya?ml|json)$/i, '');
  // The checked copy is what planning reads: the raw value is not kept beside it.
  return { file, dir, name, declared, phases, source: { ...source, data: null } };
}

/** Checks each phase and its graph. Without best-of-N phases, each phase's loaded form is let go
 * at once (only its prompt file's text is kept), and built again by position when asked for. */
function loadPhases(
  declared: WorkflowFile,
  dir: string,
  source: WorkflowSource,
  known: ReadonlySet<string>,
  problems: Problem[],
): LoadedPhases {
  const load = (phase: PhaseFile, index: number, into: Problem[]) =>
    loadPhase(phase, index, declared, dir, source, known, into);
  if (
    declared.phases.every((phase) => phase.candidates === undefined && phase.judge === undefined)
  ) {
    const templates = new Map<string, string>();
    declared.phases.forEach((phase, index) => {
      const { promptFile, promptTemplate } = load(phase, index, problems);
      if (promptFile !== null && promptTemplate !== null) templates.set(promptFile, promptTemplate);
    });
    checkIdsAndNeeds(declared.phases, source, problems);
    return derivedPhases(declared, dir, templates);
  }
  // A phase with candidates is checked as each candidate (itself plus that candidate's changes).
  const phases = declared.phases.map((phase, index) =>
    load(phase, index, phase.candidates === undefined ? problems : []),
  );
  checkIdsAndNeeds(phases, source, problems);
  return expandCandidates(phases, (phase, index) => load(phase, index, problems), source, problems);
}
