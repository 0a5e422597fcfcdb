// Big YAML workflows read a slice at a time. The yaml package builds the syntax tree of a whole
// document before its value (about 60 bytes of memory per byte of text: 0.9 GB for a 6 MB
// workflow of 100,000 phases), so a long `phases:` list is cut at its items, each slice of
// items parsed on its own and the lists joined. Only the plain layout is cut: one top-level
// `phases:` line followed by a block list; anything else, and any error or warning in a
// slice (an alias to an anchor of another slice, a quote cut in two), gives undefined, and
// the caller parses the whole text as before, with every problem at its place. Lines are
// walked by offset (no array of 400,000 line strings) and slices are cut from the text.
import { parseDocument } from 'yaml';

/** Items per slice: a slice's syntax tree is garbage while it is young (BENCHMARKS.md). */
const ITEMS_PER_SLICE = 20;
const PHASES_KEY = /^phases:[ \t]*(#.*)?$/;
const ITEM = /^( *)-( |$)/;

/** The value of `text` parsed slice by slice; undefined when it cannot be (then parse it whole). */
export function parseYamlInSlices(
  text: string,
  maxAliasCount: number,
  itemsPerSlice = ITEMS_PER_SLICE,
): unknown {
  // Where the one `phases:` line ends (its '\n'); no directives or document markers anywhere.
  let keyEnd = -1;
  for (const [start, end] of lines(text, 0)) {
    const line = text.slice(start, end);
    if (/^(%|---|\.\.\.)/.test(line)) return undefined;
    if (!PHASES_KEY.test(line)) continue;
    if (keyEnd >= 0) return undefined;
    keyEnd = end;
  }
  if (keyEnd < 0 || keyEnd >= text.length) return undefined;
  // The list ends at the first line, past its items, that starts at column 0 and is not one.
  let indent: string | undefined;
  let listEnd = text.length;
  const starts: number[] = [];
  for (const [start, end] of lines(text, keyEnd + 1)) {
    const line = text.slice(start, end);
    if (isBlankOrComment(line)) continue;
    const item = ITEM.exec(line)?.[1];
    indent ??= item;
    if (indent === undefined) return undefined;
    if (item === indent) starts.push(start);
    else if (!line.startsWith(' ') && !(indent === '' && line.startsWith('-'))) {
      listEnd = start;
      break;
    }
  }
  if (indent === undefined) return undefined;
  const rest = listEnd < text.length ? `\n${text.slice(listEnd)}` : '';
  const head = parseValue(text.slice(0, keyEnd) + rest, maxAliasCount);
  if (head === undefined || typeof head !== 'object' || head === null || Array.isArray(head))
    return undefined;
  if ((head as { phases?: unknown }).phases !== null) return undefined;
  const phases: unknown[] = [];
  for (let at = 0; at < starts.length; at += itemsPerSlice) {
    const from = starts[at] as number;
    const next = starts[at + itemsPerSlice];
    const to = next === undefined ? listEnd : next;
    // Without the '\n' that ends the slice's last line, as the lines' join would have it.
    const slice = parseValue(text.slice(from, to === text.length ? to : to - 1), maxAliasCount);
    if (!Array.isArray(slice)) return undefined;
    for (const item of slice) phases.push(item);
  }
  return { ...head, phases };
}

/** The [start, end) of each line of `text` from offset `from`, without its '\n'. */
function* lines(text: string, from: number): Generator<[number, number]> {
  let start = from;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    yield [start, end];
    start = end + 1;
  }
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
