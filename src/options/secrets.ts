// Secrets in the environment: found by name pattern, and kept out of everything parex writes.

/** True when `name` matches `pattern`, where "*" stands for any run of characters. */
export function matchesPattern(name: string, pattern: string): boolean {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`).test(name);
}

/** The values of the variables of `env` whose names match a pattern (values under 4 characters are not worth hiding). */
export function secretValues(env: NodeJS.ProcessEnv, patterns: readonly string[]): string[] {
  const values = Object.entries(env)
    .filter(
      ([name, value]) =>
        value !== undefined &&
        value.length >= 4 &&
        patterns.some((pattern) => matchesPattern(name, pattern)),
    )
    .map(([, value]) => value as string);
  // Longest first, so that a secret that contains another is hidden whole.
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

/** Replaces every secret value in a string, or in every string of a JSON-like value, with "***". */
export function makeRedactor(secrets: readonly string[]): <T>(value: T) => T {
  const redactText = (text: string) =>
    secrets.reduce((out, secret) => out.split(secret).join('***'), text);
  const redact = (value: unknown): unknown => {
    if (secrets.length === 0) return value;
    if (typeof value === 'string') return redactText(value);
    if (Array.isArray(value)) return value.map(redact);
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, redact(entry)]));
    }
    return value;
  };
  return <T>(value: T) => redact(value) as T;
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
