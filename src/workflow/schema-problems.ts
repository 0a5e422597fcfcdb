// What the schema check found, as problems at their places in the file: each with the value
// received, and "did you mean" for an unknown key or a value that is not one of the allowed.
import type { z } from 'zod';

import { didYouMean } from '../names/suggest.js';
import { DEFAULTS } from '../options/defaults.js';
import { matchesPattern } from '../options/secrets.js';
import type { Problem } from './problems.js';
import { KNOWN_KEYS } from './schema.js';
import type { WorkflowSource } from './source.js';

type Path = (string | number)[];

/** One problem per schema issue (one per unknown key), placed at the key or value it is about. */
export function schemaProblems(
  issues: readonly z.core.$ZodIssue[],
  source: WorkflowSource,
): Problem[] {
  return issues.flatMap((issue) => {
    const where = issue.path as Path;
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(where);
      return issue.keys.map((key) =>
        source.at(where, `unknown key "${key}"${didYouMean(key, known)}`, key),
      );
    }
    const got = received(where, issue.input);
    if (issue.code === 'invalid_value' && typeof issue.input === 'string') {
      const values = issue.values.map(String);
      return [
        source.at(
          where,
          `${label(where)}${got.replace(/ \(a string\)$/, '')} is not one of ${values.join(', ')}${didYouMean(issue.input, values)}`,
        ),
      ];
    }
    return [source.at(where, `${label(where)}${describeIssue(issue)}; got ${got}`)];
  });
}

/** The keys allowed in the object at `where`. */
function knownKeys(where: Path): readonly string[] {
  if (where.length === 0) return KNOWN_KEYS.workflow;
  if (where[0] === 'phases') return KNOWN_KEYS.phase;
  if (where[0] === 'defaults') return KNOWN_KEYS.defaults;
  if (where[0] === 'dirs') return KNOWN_KEYS.dirs;
  return [];
}

function label(where: Path): string {
  const key = where.filter((part) => typeof part === 'string').at(-1);
  return key === undefined ? '' : `${key}: `;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `expected ${article(issue.expected)}`;
  return issue.message.replace(/^Invalid input: /, '').replace(/^Too (big|small): /, '');
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The value received, in words; hidden under a key named like a secret (DB_PASSWORD, ...). */
function received(where: Path, value: unknown): string {
  const secret = where.some(
    (part) =>
      typeof part === 'string' &&
      DEFAULTS.secretPatterns.some((pattern) => matchesPattern(part, pattern, true)),
  );
  if (secret && value !== undefined) return 'a value (not shown: the key names a secret)';
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    return value.length > 60
      ? `${JSON.stringify(value.slice(0, 60))}... (a string)`
      : `${JSON.stringify(value)} (a string)`;
  }
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  return `${String(value)} (a ${typeof value})`;
}
