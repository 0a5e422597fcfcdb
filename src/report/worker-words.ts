// Where a pooled job ran, in words: a manifest line's (or a result's) `worker` field.

/** `worker` ({name, host}) as "NAME on HOST", or null when the job did not run on a pool. */
export function workerWords(value: unknown): string | null {
  const worker = value as { name?: unknown; host?: unknown } | null | undefined;
  if (typeof worker?.name !== 'string') return null;
  return typeof worker.host === 'string' ? `${worker.name} on ${worker.host}` : worker.name;
}
