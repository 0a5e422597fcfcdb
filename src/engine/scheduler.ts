// The scheduler: a queue and a fixed number of slots; a slot takes the next job when its job ends.

/** Runs `run` on every item, at most `slots` at once, in order; returns the items never started. */
export async function runInSlots<T>(
  items: readonly T[],
  slots: number,
  cancel: AbortSignal | null,
  run: (item: T) => Promise<void>,
): Promise<T[]> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && cancel?.aborted !== true) {
      const item = items[next] as T;
      next += 1;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, slots) }, worker));
  return items.slice(next);
}
