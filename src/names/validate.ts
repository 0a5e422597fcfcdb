// Validation of feature, group and job names, which become file and directory names.
import { UsageError } from '../errors.js';

/** The longest name accepted. */
export const MAX_NAME_LENGTH = 50;

const ALLOWED = /^[A-Za-z0-9_-]+$/;
const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;
const ALLOWED_TEXT = 'letters A-Z and a-z, digits 0-9, "_" and "-"';

/** Which rule a rejected name broke. */
export type NameRule =
  | 'empty'
  | 'too-long'
  | 'leading-dash'
  | 'traversal'
  | 'character'
  | 'reserved';

/** Why a name was rejected, in words. */
export interface NameProblem {
  readonly rule: NameRule;
  readonly why: string;
  readonly fix: string;
}

/** Returns the first rule the name breaks, or null when the name is valid. */
export function checkName(name: string): NameProblem | null {
  if (name.length === 0) {
    return problem(
      'empty',
      'a name must have at least 1 character',
      'give a name such as "phase2a"',
    );
  }
  if (name.includes('..') || name.includes('/') || name.includes('\\')) {
    const found = ['..', '/', '\\'].filter((part) => name.includes(part)).join('", "');
    return problem(
      'traversal',
      `it contains "${found}": names become file names, and a path separator or ".." could point outside the log directory`,
      `use only ${ALLOWED_TEXT}`,
    );
  }
  const bad = firstBadCharacter(name);
  if (bad !== null) {
    return problem(
      'character',
      `it contains ${describeCharacter(bad.char)} at position ${bad.index + 1}; only ${ALLOWED_TEXT} are allowed`,
      `remove or replace that character, e.g. "${suggest(name)}"`,
    );
  }
  if (name.length > MAX_NAME_LENGTH) {
    return problem(
      'too-long',
      `it has ${name.length} characters; the limit is ${MAX_NAME_LENGTH}`,
      `shorten it to at most ${MAX_NAME_LENGTH} characters`,
    );
  }
  if (name.startsWith('-')) {
    return problem(
      'leading-dash',
      'it starts with "-", so a command given this name would read it as an option',
      `start it with a letter, digit or "_", e.g. "${name.replace(/^-+/, '') || 'job'}"`,
    );
  }
  if (RESERVED.test(name)) {
    return problem(
      'reserved',
      `"${name}" is a reserved device name on Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9, in any case)`,
      `pick another name, e.g. "${name}_job"`,
    );
  }
  return null;
}

/** Throws a UsageError naming the rule broken when `name` is not a valid name; `kind` says what it names. */
export function assertValidName(name: string, kind: string): string {
  const found = checkName(name);
  if (found !== null) {
    throw new UsageError(`invalid ${kind} ${JSON.stringify(name)}`, found.why, found.fix);
  }
  return name;
}

function problem(rule: NameRule, why: string, fix: string): NameProblem {
  return { rule, why, fix };
}

function firstBadCharacter(name: string): { char: string; index: number } | null {
  let index = 0;
  for (const char of name) {
    if (!ALLOWED.test(char)) return { char, index };
    index += 1;
  }
  return null;
}

function describeCharacter(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code > 0x7e) return `"${char}" (${hex}, not ASCII)`;
  if (code < 0x20 || code === 0x7f) return `a control character (${hex})`;
  if (char === ' ') return 'a space';
  return `"${char}"`;
}

function suggest(name: string): string {
  const cleaned = [...name]
    .map((char) => (ALLOWED.test(char) ? char : '_'))
    .join('')
    .replace(/_+/g, '_')
    .replace(/^[-_]+|_+$/g, '')
    .slice(0, MAX_NAME_LENGTH);
  return cleaned.length > 0 && !RESERVED.test(cleaned) ? cleaned : 'job1';
}
