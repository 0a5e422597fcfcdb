// The redactor: hides secret values in what parex writes or prints, in free text only.
import { isFreeText, isNestedRecord } from './fields.js';

/** Hides a run's secret values; built once per run from its whole secret set. */
export interface Redactor {
  /** The secret values, longest first. */
  readonly secrets: readonly string[];
  /** `value` with every secret replaced by "***". */
  text(value: string): string;
  /** Every string inside a JSON-like value, redacted. */
  deep<T>(value: T): T;
  /**
   * A record parex writes (manifest line, event, result, history entry) with its free-text
   * fields redacted and its identifiers (names, ids, paths, timestamps) kept as they are.
   */
  record<T>(value: T): T;
}

/** A redactor for `secrets` (empty strings are ignored). */
export function makeRedactor(secrets: Iterable<string>): Redactor {
  const values = [...new Set(secrets)]
    .filter((secret) => secret !== '')
    // Longest first, so that a secret that contains another is hidden whole.
    .sort((a, b) => b.length - a.length);
  const text = (value: string): string =>
    values.reduce(
      (out, secret) => (out.includes(secret) ? out.split(secret).join('***') : out),
      value,
    );
  const deep = (value: unknown): unknown => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map(deep);
    if (isPlainObject(value)) {
      return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, deep(entry)]));
    }
    return value;
  };
  const record = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(record);
    if (!isPlainObject(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => {
        if (isNestedRecord(key)) return [key, record(entry)];
        return [key, isFreeText(key) ? deep(entry) : entry];
      }),
    );
  };
  const none = <T>(value: T) => value;
  return {
    secrets: values,
    text: values.length === 0 ? none : text,
    deep: values.length === 0 ? none : <T>(value: T) => deep(value) as T,
    record: values.length === 0 ? none : <T>(value: T) => record(value) as T,
  };
}

/** One redactor for the secrets of all of `redactors`. */
export function combineRedactors(...redactors: readonly Redactor[]): Redactor {
  return makeRedactor(redactors.flatMap((redactor) => redactor.secrets));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
