// A workflow's text parsed as YAML (JSON is YAML too): its value, its syntax problems, and where
// each value stands. Alias bombs and nesting too deep for the parser are problems, not crashes.
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from 'yaml';

import type { Problem } from './problems.js';

/** Aliases resolved at most while reading a workflow (the yaml package's default). */
const MAX_ALIAS_COUNT = 100;

/** A parsed YAML text. */
export interface ParsedYaml {
  /** The value; null when there are syntax problems. */
  readonly data: unknown;
  readonly syntaxProblems: readonly Problem[];
  /** The place of the value at `path` (or of its key `key`); the nearest existing parent otherwise. */
  at(path: readonly (string | number)[], message: string, key?: string): Problem;
}

/** Parses `text` (the contents of `file`) with positions. */
export function parseYaml(file: string, text: string): ParsedYaml {
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
    place(error.pos[0], syntaxMessage(error.message)),
  );
  let data: unknown = null;
  if (syntaxProblems.length === 0) {
    try {
      data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      syntaxProblems.push(place(firstAliasOffset(document), valueProblem(error)));
    }
  }
  return {
    data,
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

function syntaxMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return /call stack/i.test(first)
    ? 'the values are nested deeper than parex can read; flatten the structure'
    : first;
}

function valueProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/alias count/i.test(message)) {
    return `aliases expand to too many values (more than ${MAX_ALIAS_COUNT} resolved; an "alias bomb"): write the values out, or use fewer aliases`;
  }
  return syntaxMessage(message);
}

/** Where the first alias (*name) of the document is; 0 when it has none. */
function firstAliasOffset(document: Document): number {
  let offset = 0;
  visit(document, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

function keyNode(node: Node | undefined, key: string): Node | undefined {
  if (!isMap(node)) return node;
  for (const pair of node.items) {
    if (isPair(pair) && isScalar(pair.key) && pair.key.value === key) return pair.key;
  }
  return node;
}
