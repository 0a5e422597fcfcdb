// The pool's timings, in one place (docs/distributed.md). Tests shorten the lock and the
// coordinator's patience through the environment; users may too.

/** A job's lock lives this long without renewal: a dead worker's job is found within about
 * twice this (BullMQ's stalled check). PAREX_POOL_LOCK_MS. */
export function lockDurationMs(env: NodeJS.ProcessEnv = process.env): number {
  return positive(env.PAREX_POOL_LOCK_MS, 15_000);
}

/** How often some worker checks for stalled jobs. PAREX_POOL_STALL_MS. */
export function stalledIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  return positive(env.PAREX_POOL_STALL_MS, 5_000);
}

/** How long a coordinator waits for an unreachable Redis before it records its jobs lost.
 * PAREX_POOL_REDIS_WAIT_MS. */
export function redisWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  return positive(env.PAREX_POOL_REDIS_WAIT_MS, 30_000);
}

/** How long past the bound a worker names the coordinator waits for a job's escapee sweep,
 * told after its end, before it records the sweep unknown. PAREX_POOL_SWEEP_MARGIN_MS. */
export function sweepMarginMs(env: NodeJS.ProcessEnv = process.env): number {
  return positive(env.PAREX_POOL_SWEEP_MARGIN_MS, 10_000);
}

/** The coordinator's heartbeat: refreshed this often, and gone this long after its death. */
export const HEARTBEAT_EVERY_MS = 2000;
export const HEARTBEAT_TTL_MS = 10_000;
/** The run's events stream expires this long after the coordinator's last heartbeat (each
 * refreshes it, and so does each worker's "taken" entry), and a job's streams this long after
 * their worker's last check while the job runs (every 2 s) or after its end: a coordinator
 * killed with SIGKILL leaves nothing in Redis for good; one that closes deletes them. */
export function eventsTtlMs(env: NodeJS.ProcessEnv = process.env): number {
  return Math.max(3_600_000, 2 * redisWaitMs(env));
}
/** Added to a job's timeout and grace before the coordinator gives up on its worker. */
export const BACKSTOP_MARGIN_MS = 15_000;

function positive(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
