// Checks of a workflow's variables: declared names, and words for an unknown one in a template.
import type { Problem } from './problems.js';
import type { WorkflowFile } from './schema.js';
import type { WorkflowSource } from './source.js';
import { isVariableName } from './template.js';
import { BUILTIN_VARIABLES } from './variables.js';

/** Adds a problem for each declared variable whose name is invalid or taken by parex. */
export function checkVariableNames(
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

/** The message for a template variable nobody sets. */
export function unknownVariable(name: string, known: ReadonlySet<string>): string {
  return `unknown template variable \${${name}} (known: ${[...known].filter(isVariableName).sort().join(', ')}; write $\${${name}} for a literal)`;
}
