// BullMQ and ioredis, loaded only when a pool is used (--redis, PAREX_REDIS, parex worker): a
// local run never reads them. They are required at the point of use rather than bundled, so the
// command bundles stay small and hold no import() (scripts/bundle.mjs).
import { createRequire } from 'node:module';

import type * as BullMQ from 'bullmq';
import type { Redis } from 'ioredis';

/** The ioredis client class. */
export type RedisClient = Redis;

let bullmq: typeof BullMQ | null = null;
let ioredis: typeof Redis | null = null;

/** The BullMQ module, loaded on first use. */
export function loadBullmq(): typeof BullMQ {
  bullmq ??= createRequire(import.meta.url)('bullmq') as typeof BullMQ;
  return bullmq;
}

/** The ioredis client class, loaded on first use. */
export function loadIoredis(): typeof Redis {
  ioredis ??= (createRequire(import.meta.url)('ioredis') as { Redis: typeof Redis }).Redis;
  return ioredis;
}
