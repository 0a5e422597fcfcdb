// Big YAML workflows read a slice at a time. The yaml package builds the syntax tree of a whole
// document before its value (about 60 bytes of memory per byte of text: 0.9 GB for a 6 MB
// workflow of 100,000 phases), so a long `phases:` list is cut at its items, each slice of
// items parsed on its own and the lists joined. Only the plain layout is cut: one top-level
// `phases:` line followed by a block list; anything else, and any error or warning in a
// slice (an alias to an anchor of another slice, a quote cut in two), gives undefined, and
// the caller parses the whole text as before, with every problem at its place.
import { parseDocument } from 'yaml';

/** Items per slice: small enough that a slice's tree is a few MB. */
const ITEMS_PER_SLICE = 1000;
const PHASES_KEY = /^phases:[ \t]*(#.*)?$/;
const ITEM = /^( *)-( |$)/;

/** The value of `text` parsed slice by slice; undefined when it cannot be (then parse it whole). */
export function parseYamlInSlices(
  text: string,
  maxAliasCount: number,
  itemsPerSlice = ITEMS_PER_SLICE,
): unknown {
  const lines = text.split('\n');
  if (lines.some((line) => /^(%|---|\.\.\.)/.test(line))) return undefined;
  const keys = lines.flatMap((line, index) => (PHASES_KEY.test(line) ? [index] : []));
  if (keys.length !== 1) return undefined;
  const key = keys[0] as number;
  const first = lines.findIndex((line, index) => index > key && !isBlankOrComment(line));
  const indent = first < 0 ? undefined : ITEM.exec(lines[first] as string)?.[1];
  if (indent === undefined) return undefined;
  // The list ends at the first line, past its items, that starts at column 0 and is not one.
  let end = first;
  const starts: number[] = [];
  for (; end < lines.length; end += 1) {
    const line = lines[end] as string;
    if (isBlankOrComment(line)) continue;
    if (ITEM.exec(line)?.[1] === indent) starts.push(end);
    else if (!line.startsWith(' ') && !(indent === '' && line.startsWith('-'))) break;
  }
  const head = parseValue(
    [...lines.slice(0, key + 1), ...lines.slice(end)].join('\n'),
    maxAliasCount,
  );
  if (head === undefined || typeof head !== 'object' || head === null || Array.isArray(head))
    return undefined;
  if ((head as { phases?: unknown }).phases !== null) return undefined;
  const phases: unknown[] = [];
  for (let at = 0; at < starts.length; at += itemsPerSlice) {
    const from = starts[at] as number;
    const to = starts[at + itemsPerSlice] ?? end;
    const slice = parseValue(lines.slice(from, to).join('\n'), maxAliasCount);
    if (!Array.isArray(slice)) return undefined;
    for (const item of slice) phases.push(item);
  }
  return { ...head, phases };
}

function isBlankOrComment(line: string): boolean {
  const trimmed = line.trimStart();
  return trimmed === '' || trimmed.startsWith('#');
}

/** The value of a small text; undefined on any error or warning. */
function parseValue(text: string, maxAliasCount: number): unknown {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0 || document.warnings.length > 0) return undefined;
  try {
    return document.toJS({ maxAliasCount });
  } catch {
    return undefined;
  }
}
