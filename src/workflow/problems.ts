// Problems found in a workflow file, each with the file, line and column it is about.
import { UsageError } from '../errors.js';
import { displayPath } from '../report/format.js';

/** One thing wrong with a workflow, at a place in a file. */
export interface Problem {
  readonly file: string;
  /** 1-based; 0 when the problem is about the whole file. */
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** `file:line:column: message`, the form editors and terminals link to. */
export function formatProblem(problem: Problem): string {
  const file = displayPath(problem.file);
  const where = problem.line > 0 ? `${file}:${problem.line}:${problem.column}` : file;
  return `${where}: ${problem.message}`;
}

/** Throws one UsageError listing every problem, when there are any. */
export function throwIfProblems(problems: readonly Problem[], file: string): void {
  if (problems.length === 0) return;
  const ordered = [...problems].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
  const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
  throw new UsageError(
    `the workflow ${displayPath(file)} has ${count}:\n${ordered.map((problem) => `  ${formatProblem(problem)}`).join('\n')}`,
    'parex checks the whole workflow before it runs anything, so that no phase starts on a plan that cannot finish',
    'fix each place listed (see docs/workflows.md for every key), then run again; --dry-run checks without running',
  );
}
