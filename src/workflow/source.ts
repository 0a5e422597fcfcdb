// A workflow file as text and value, so that every problem can name its line and column. A file
// that is JSON is read with JSON.parse (fast for generated workflows of 100,000 phases) and parsed
// for positions only if a problem needs one; anything else is parsed as YAML.
import { readFileSync, statSync } from 'node:fs';

import { UsageError } from '../errors.js';
import { DEFAULTS } from '../options/defaults.js';
import type { Problem } from './problems.js';
import { type ParsedYaml, parseYaml } from './yaml-document.js';

/** A parsed workflow file that can say where each of its values stands. */
export interface WorkflowSource {
  readonly file: string;
  readonly data: unknown;
  readonly syntaxProblems: readonly Problem[];
  /** The place of the value at `path` (or of its key `key`); the nearest existing parent otherwise. */
  at(path: readonly (string | number)[], message: string, key?: string): Problem;
}

/** Reads and parses a YAML or JSON workflow file; a UsageError if it cannot be read. */
export function readWorkflowSource(file: string): WorkflowSource {
  let text: string;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) return notAFile(file);
    if (stats.size > DEFAULTS.maxWorkflowBytes) return tooLarge(file, stats.size);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read the workflow ${file} (${code ?? String(error)})`,
      'parex run needs a workflow file that declares the phases to run',
      code === 'ENOENT'
        ? 'check the path; examples/ has workflows to start from'
        : 'check the file',
    );
  }
  const json = asJson(text);
  if (json === undefined) return { file, ...parseYaml(file, text) };
  let parsed: ParsedYaml | null = null;
  return {
    file,
    data: json,
    syntaxProblems: [],
    at: (path, message, key) => {
      parsed ??= parseYaml(file, text);
      return parsed.at(path, message, key);
    },
  };
}

/** The value of a text that is a JSON object; undefined otherwise (then YAML says what is wrong). */
function asJson(text: string): unknown {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A workflow file over the size limit: one problem, nothing read. */
function tooLarge(file: string, size: number): WorkflowSource {
  const limit = DEFAULTS.maxWorkflowBytes;
  return unread(
    file,
    `the file has ${size} bytes, more than the limit of ${limit} (${limit / 1024 / 1024} MB) for a workflow`,
  );
}

/** A directory, FIFO or device where a workflow file was expected: nothing read (a FIFO would block). */
function notAFile(file: string): WorkflowSource {
  return unread(file, 'not a regular file (a directory, FIFO or device); give a workflow file');
}

function unread(file: string, message: string): WorkflowSource {
  const problem: Problem = { file, line: 1, column: 1, message };
  return { file, data: null, syntaxProblems: [problem], at: () => problem };
}
