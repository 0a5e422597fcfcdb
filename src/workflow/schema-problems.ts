// What the schema check found, as problems at their places in the file.
import type { z } from 'zod';

import type { Problem } from './problems.js';
import type { WorkflowSource } from './source.js';

/** One problem per schema issue, placed at the key or value it is about. */
export function schemaProblems(
  issues: readonly z.core.$ZodIssue[],
  source: WorkflowSource,
): Problem[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return source.at(
        issue.path as (string | number)[],
        `unknown key "${issue.keys[0]}"`,
        issue.keys[0],
      );
    }
    return source.at(issue.path as (string | number)[], describeIssue(issue.path, issue.message));
  });
}

function describeIssue(issuePath: readonly PropertyKey[], message: string): string {
  const key = issuePath.filter((part) => typeof part === 'string').at(-1);
  return key === undefined ? message : `${String(key)}: ${message}`;
}
