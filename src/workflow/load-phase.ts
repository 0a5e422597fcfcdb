// One phase of a workflow, checked on its own: agent or command, prompt file, template variables
// in its prompt, outputs, inputs and argv, names of its env: variables.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { unknownVariable } from './check-variables.js';
import type { LoadedPhase } from './load.js';
import { declaredAgent, loadedForm } from './loaded-phases.js';
import type { Problem } from './problems.js';
import type { PhaseFile, WorkflowFile } from './schema.js';
import type { WorkflowSource } from './source.js';
import { isVariableName, renderTemplate } from './template.js';

/** Reads the phase's prompt template and adds every problem of the phase to `problems`. */
export function loadPhase(
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
  const agent = declaredAgent(phase, declared);
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
  return loadedForm(phase, index, agent, promptFile, promptTemplate);
}
