// Small pieces of readable activity lines: a message's first line, a tool's main argument.
import path from 'node:path';

import { pickString } from './events.js';

/** The longest activity line kept; the whole event stays in the log. */
const LINE_LIMIT = 200;

/** The first non-blank line of `text`, cut to a readable length; null when there is none. */
export function firstLine(text: string | undefined): string | null {
  const line = text
    ?.split('\n')
    .map((candidate) => candidate.trim())
    .find((candidate) => candidate !== '');
  if (line === undefined) return null;
  return line.length <= LINE_LIMIT ? line : `${line.slice(0, LINE_LIMIT - 1)}…`;
}

/** A path as short as it can be said: relative to the working directory when inside it. */
export function shortPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
    ? relative
    : file;
}

/** `NAME ARG`: a tool use with the argument that says most about it. */
export function toolLine(name: string, input: unknown): string {
  const file =
    pickString(input, 'file_path') ??
    pickString(input, 'absolute_path') ??
    pickString(input, 'path');
  const argument =
    pickString(input, 'command') ??
    (file === undefined ? undefined : shortPath(file)) ??
    pickString(input, 'pattern') ??
    pickString(input, 'url') ??
    pickString(input, 'query') ??
    pickString(input, 'description');
  const shown = firstLine(argument);
  return shown === null ? name : `${name} ${shown}`;
}
