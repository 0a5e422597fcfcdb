// Loading a workflow: parse, check the shape, then check what the shape cannot say
// (ids, needs, cycles, prompt files, template variables), every problem with its place.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { AgentName } from '../agents/types.js';
import { findCycle } from '../graph/topology.js';
import { checkName } from '../names/validate.js';
import { type CandidateOf, expandCandidates, type Judging } from './candidates.js';
import type { Problem } from './problems.js';
import { throwIfProblems } from './problems.js';
import { type PhaseFile, type WorkflowFile, workflowSchema } from './schema.js';
import { readWorkflowSource, type WorkflowSource } from './source.js';
import { isVariableName, renderTemplate } from './template.js';
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
  readonly phases: readonly LoadedPhase[];
  readonly source: WorkflowSource;
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
  const parsed = workflowSchema.safeParse(source.data);
  if (!parsed.success) {
    throwIfProblems(
      parsed.error.issues.map((issue) => {
        if (issue.code === 'unrecognized_keys') {
          return source.at(
            issue.path as (string | number)[],
            `unknown key "${issue.keys[0]}"`,
            issue.keys[0],
          );
        }
        return source.at(
          issue.path as (string | number)[],
          describeIssue(issue.path, issue.message),
        );
      }),
      file,
    );
  }
  const given = parsed.data as WorkflowFile;
  const declared: WorkflowFile = {
    ...given,
    phases: given.phases.map((phase) => ({ ...phase, ...phaseOverrides[phase.id] })),
  };
  const dir = path.dirname(path.resolve(file));
  const problems: Problem[] = [];
  const known = new Set([
    ...BUILTIN_VARIABLES,
    ...Object.keys(declared.vars ?? {}),
    ...extraVariables,
  ]);
  checkVariableNames(declared, source, problems);
  // A phase with candidates is checked as each candidate (itself plus that candidate's changes).
  const phases = declared.phases.map((phase, index) =>
    loadPhase(
      phase,
      index,
      declared,
      dir,
      source,
      known,
      phase.candidates === undefined ? problems : [],
    ),
  );
  checkIdsAndNeeds(phases, source, problems);
  const expanded = expandCandidates(
    phases,
    (phase, index) => loadPhase(phase, index, declared, dir, source, known, problems),
    source,
    problems,
  );
  throwIfProblems(problems, file);
  const name = declared.name ?? path.basename(file).replace(/\.(ya?ml|json)$/i, '');
  return { file, dir, name, declared, phases: expanded, source };
}

function loadPhase(
  phase: PhaseFile,
  index: number,
  declared: WorkflowFile,
  dir: string,
  source: WorkflowSource,
  known: ReadonlySet<string>,
  problems: Problem[],
): LoadedPhase {
  const at = (key: string, message: string) =>
    problems.push(source.at(['phases', index, key], message));
  const agent = phase.agent ?? declared.defaults?.agent ?? 'codex';
  const isCommand = agent === 'command';
  if (isCommand && (phase.command === undefined) === (phase.argv === undefined)) {
    at('agent', 'a command phase needs exactly one of "command" (a shell line) and "argv"');
  }
  if (!isCommand && phase.prompt === undefined) {
    at('agent', `a ${agent} phase needs "prompt": the file of its prompt template`);
  }
  if (!isCommand && (phase.command !== undefined || phase.argv !== undefined)) {
    at(
      phase.command === undefined ? 'argv' : 'command',
      `a ${agent} phase runs its prompt; "command" and "argv" are for agent: command`,
    );
  }
  if (isCommand && phase.prompt !== undefined) at('prompt', 'a command phase has no prompt');
  if (phase.min_score !== undefined && (phase.outputs ?? []).length === 0) {
    at(
      'min_score',
      'min_score reads "Score: N/10" from the first output, and this phase has no outputs',
    );
  }
  let promptFile: string | null = null;
  let promptTemplate: string | null = null;
  if (phase.prompt !== undefined && !isCommand) {
    promptFile = path.resolve(dir, phase.prompt);
    try {
      promptTemplate = readFileSync(promptFile, 'utf8');
      for (const unknown of renderTemplate(promptTemplate, {}).unknown.filter(
        (found) => !known.has(found.name),
      )) {
        problems.push({
          file: promptFile,
          line: unknown.line,
          column: unknown.column,
          message: unknownVariable(unknown.name, known),
        });
      }
    } catch (error) {
      at(
        'prompt',
        `prompt file ${promptFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
    }
  }
  const templated: [string, readonly string[]][] = [
    ['outputs', phase.outputs ?? []],
    ['inputs', phase.inputs ?? []],
    ['argv', phase.argv ?? []],
  ];
  for (const [key, values] of templated) {
    values.forEach((value, position) => {
      for (const unknown of renderTemplate(value, {}).unknown.filter(
        (found) => !known.has(found.name),
      )) {
        problems.push(
          source.at(['phases', index, key, position], unknownVariable(unknown.name, known)),
        );
      }
    });
  }
  for (const key of Object.keys(phase.env ?? {})) {
    if (!isVariableName(key))
      problems.push(
        source.at(
          ['phases', index, 'env'],
          `"${key}" is not a valid environment variable name`,
          key,
        ),
      );
  }
  return {
    index,
    id: phase.id,
    agent,
    needs: phase.needs ?? [],
    declared: phase,
    promptFile,
    promptTemplate,
  };
}

function checkIdsAndNeeds(
  phases: readonly LoadedPhase[],
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
  for (const phase of phases) {
    phase.needs.forEach((need, position) => {
      if (need === phase.id) {
        problems.push(
          source.at(['phases', phase.index, 'needs', position], `phase ${phase.id} needs itself`),
        );
      } else if (!phases.some((other) => other.id === need)) {
        const list = phases.map((other) => other.id).join(', ');
        problems.push(
          source.at(
            ['phases', phase.index, 'needs', position],
            `unknown phase "${need}" in needs (phases: ${list})`,
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

function checkVariableNames(
  declared: WorkflowFile,
  source: WorkflowSource,
  problems: Problem[],
): void {
  for (const key of Object.keys(declared.vars ?? {})) {
    if (!isVariableName(key)) {
      problems.push(
        source.at(['vars'], `variable name "${key}" must match [A-Za-z_][A-Za-z0-9_]*`, key),
      );
    } else if (BUILTIN_VARIABLES.includes(key)) {
      problems.push(
        source.at(['vars'], `variable "${key}" is set by parex and cannot be declared`, key),
      );
    }
  }
}

function unknownVariable(name: string, known: ReadonlySet<string>): string {
  return `unknown template variable \${${name}} (known: ${[...known].filter(isVariableName).sort().join(', ')}; write $\${${name}} for a literal)`;
}

function describeIssue(issuePath: readonly PropertyKey[], message: string): string {
  const key = issuePath.filter((part) => typeof part === 'string').at(-1);
  return key === undefined ? message : `${String(key)}: ${message}`;
}
