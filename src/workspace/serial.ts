// One repository's git steps that must not overlap: `git worktree add` writes a placeholder HEAD
// that a concurrent `git fetch` (which checks every worktree's HEAD) reports as a bad object.

/** The last step queued on each key. */
const queues = new Map<string, Promise<unknown>>();

/** Runs `step` once every step queued before on `key` (a repository's directory) has ended. */
export function serially<T>(key: string, step: () => Promise<T>): Promise<T> {
  const next = (queues.get(key) ?? Promise.resolve()).then(step, step);
  const settled = next.then(
    () => {},
    () => {},
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return next;
}
