// A workflow file as text and value, so that every problem can name its line and column. A file
// that is JSON is read with JSON.parse (fast for generated workflows of 100,000 phases); anything
// else is parsed as YAML. Either way only the value and the text's hash are kept: the file is
// read and parsed again for positions if a problem needs one.
import { readFileSync, statSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { withYoungGenerationHeld } from '../heap/young-generation.js';
import { DEFAULTS } from '../options/defaults.js';
import { sha256 } from './hash.js';
import type { Problem } from './problems.js';
import { MAX_ALIAS_COUNT, type ParsedYaml, parseYaml } from './yaml-document.js';
import { parseYamlInSlices } from './yaml-slices.js';

/** YAML texts from this size on (about 300 phases) are parsed a slice of phases at a time
 * (yaml-slices.ts): a whole parse of 1,000 phases peaked 14 MB higher. */
const SLICED_YAML_CHARS = 16 * 1024;

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
  if (json !== undefined) return withLazyPositions(file, text, json);
  if (text.length >= SLICED_YAML_CHARS) {
    const sliced = parseYamlInSlices(text, MAX_ALIAS_COUNT);
    if (sliced !== undefined) return withLazyPositions(file, text, sliced);
  }
  const parsed = parseYaml(file, text);
  if (parsed.syntaxProblems.length > 0) return { file, ...parsed };
  // The parsed document (its nodes and their places) is 30 times the text: let it go, and
  // parse again for positions only if a problem needs one.
  return withLazyPositions(file, text, parsed.data);
}

/** A source whose positions come from reading and parsing the file again, once, when a problem
 * needs one: the text is not kept (6 MB for 100,000 phases, held for the whole run), only its
 * hash, so that a file changed since is never used for places. */
function withLazyPositions(file: string, text: string, data: unknown): WorkflowSource {
  const digest = sha256(text);
  let parsed: ParsedYaml | null | undefined;
  return {
    file,
    data,
    syntaxProblems: [],
    at: (path, message, key) => {
      parsed ??= sameText(file, digest);
      if (parsed === null) {
        return { file, line: 0, column: 0, message: `${message} (${CHANGED})` };
      }
      return parsed.at(path, message, key);
    },
  };
}

const CHANGED = 'no line given: the file changed after parex read it; run again';

/** The file parsed again for positions, if it still has the text whose hash is `digest`. */
function sameText(file: string, digest: string): ParsedYaml | null {
  try {
    const text = readFileSync(file, 'utf8');
    return sha256(text) === digest ? parseYaml(file, text) : null;
  } catch {
    return null;
  }
}

/** The value of a text that is a JSON object; undefined otherwise (then YAML says what is wrong). */
function asJson(text: string): unknown {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    return withYoungGenerationHeld(text.length, () => JSON.parse(text) as unknown);
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
