// Secrets in the environment: found by name pattern, and kept out of everything parex writes.
import { makeRedactor, type Redactor } from '../redact/redactor.js';
import { DEFAULTS } from './defaults.js';

/** True when `name` matches `pattern`, where "*" stands for any run of characters. */
export function matchesPattern(name: string, pattern: string, ignoreCase = false): boolean {
  return patternRegExp(pattern, ignoreCase).test(name);
}

function patternRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'i' : '');
}

/**
 * The secret values of `env`: those of variables whose names match a default pattern (values of
 * DEFAULTS.secretMinLength characters or more), or one of `userPatterns` (any non-empty value).
 * Names are compared ignoring case.
 */
export function secretValues(
  env: Readonly<Record<string, string | undefined>>,
  userPatterns: readonly string[] = [],
): string[] {
  return secretFinder(userPatterns)(env);
}

/** secretValues for many environments: the patterns compiled once, each name judged once. */
function secretFinder(
  userPatterns: readonly string[],
): (env: Readonly<Record<string, string | undefined>>) => string[] {
  const forced = userPatterns.map((pattern) => patternRegExp(pattern, true));
  const named = DEFAULTS.secretPatterns.map((pattern) => patternRegExp(pattern, true));
  const kinds = new Map<string, 'forced' | 'named' | null>();
  const kindOf = (name: string) => {
    let kind = kinds.get(name);
    if (kind === undefined) {
      kind = forced.some((re) => re.test(name))
        ? 'forced'
        : named.some((re) => re.test(name))
          ? 'named'
          : null;
      kinds.set(name, kind);
    }
    return kind;
  };
  return (env) => {
    const found: string[] = [];
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined || value === '') continue;
      const kind = kindOf(name);
      if (kind === 'forced' || (kind === 'named' && value.length >= DEFAULTS.secretMinLength)) {
        found.push(value);
      }
    }
    return found;
  };
}

/** Where a run's secrets are: its environment, each job's own variables, the user's patterns. */
export interface SecretSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly jobEnvs?: Iterable<Readonly<Record<string, string>>>;
  /** --secret-env patterns, added to DEFAULTS.secretPatterns. */
  readonly patterns?: readonly string[];
}

/** The one redactor of a run, for every place it writes or prints. */
export function runRedactor(sources: SecretSources): Redactor {
  const find = secretFinder(sources.patterns ?? []);
  const values = new Set(find(sources.env));
  for (const env of sources.jobEnvs ?? []) {
    for (const value of find(env)) values.add(value);
  }
  return makeRedactor(values);
}

/** `env` without the variables whose names match any of `patterns`. */
export function withoutVariables(
  env: NodeJS.ProcessEnv,
  patterns: readonly string[],
): NodeJS.ProcessEnv {
  if (patterns.length === 0) return env;
  return Object.fromEntries(
    Object.entries(env).filter(
      ([name]) => !patterns.some((pattern) => matchesPattern(name, pattern)),
    ),
  );
}
