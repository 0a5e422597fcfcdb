// Usage errors: the only exceptions parex throws, always before anything is spawned or written.

/** Exit status for a usage or validation error. */
export const USAGE_EXIT_CODE = 2;

/** A problem with what the caller asked for, explained as what went wrong, why, and what to do. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = USAGE_EXIT_CODE;

  constructor(
    readonly what: string,
    readonly why: string,
    readonly fix: string,
  ) {
    super(`${what}\n  why: ${why}\n  fix: ${fix}`);
  }
}

/** True for a UsageError, also one from another copy of this module. */
export function isUsageError(error: unknown): error is UsageError {
  return error instanceof Error && error.name === 'UsageError' && 'fix' in error;
}
