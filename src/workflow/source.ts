// A workflow file as text and syntax tree, so that every problem can name its line and column.
import { readFileSync } from 'node:fs';

import { isMap, isPair, isScalar, LineCounter, type Node, parseDocument } from 'yaml';

import { UsageError } from '../errors.js';
import type { Problem } from './problems.js';

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
  const counter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter: counter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const place = (offset: number, message: string): Problem => {
    const { line, col } = counter.linePos(offset);
    return { file, line, column: col, message };
  };
  const syntaxProblems = [...document.errors, ...document.warnings].map((error) =>
    place(error.pos[0], error.message.split('\n')[0] ?? error.message),
  );
  return {
    file,
    data: syntaxProblems.length > 0 ? null : document.toJS(),
    syntaxProblems,
    at: (path, message, key) => {
      for (let length = path.length; length >= 0; length -= 1) {
        const node = document.getIn(path.slice(0, length), true) as Node | undefined;
        if (node === undefined && length > 0) continue;
        const target = length === path.length && key !== undefined ? keyNode(node, key) : node;
        const offset = target?.range?.[0] ?? document.contents?.range?.[0] ?? 0;
        return place(offset, message);
      }
      return place(0, message);
    },
  };
}

function keyNode(node: Node | undefined, key: string): Node | undefined {
  if (!isMap(node)) return node;
  for (const pair of node.items) {
    if (isPair(pair) && isScalar(pair.key) && pair.key.value === key) return pair.key;
  }
  return node;
}
