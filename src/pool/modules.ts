// BullMQ and ioredis, loaded only when a pool is used (--redis, PAREX_REDIS, parex worker): a
// local run never reads them. The command bundles do not hold them: scripts/bundle.mjs puts
// both in a bundle of their own (dist/bin/bundles/pool-deps-HASH.cjs), run with its code cache
// at the first use, which takes a third of the time of requiring their hundreds of files; the
// unbundled build (tests' imports of dist/src) requires them.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type * as BullMQ from 'bullmq';
import type { Redis } from 'ioredis';

import { runWithCodeCache } from '../files/code-cache.js';

/** The ioredis client class. */
export type RedisClient = Redis;

/** The pool's dependencies' bundle, beside the command's bundle (written in by
 * scripts/bundle.mjs; undefined outside a bundle). */
declare const PAREX_POOL_DEPS: string | undefined;

interface PoolDeps {
  readonly bullmq: typeof BullMQ;
  readonly Redis: typeof Redis;
}

let deps: PoolDeps | null = null;

function poolDeps(): PoolDeps {
  if (deps !== null) return deps;
  if (typeof PAREX_POOL_DEPS === 'string') {
    const here = path.dirname(fileURLToPath(import.meta.url));
    deps = runWithCodeCache(path.join(here, PAREX_POOL_DEPS)) as PoolDeps;
  } else {
    const require = createRequire(import.meta.url);
    const ioredis = require('ioredis') as { Redis: typeof Redis };
    deps = { bullmq: require('bullmq') as typeof BullMQ, Redis: ioredis.Redis };
  }
  return deps;
}

/** The BullMQ module, loaded on first use. */
export function loadBullmq(): typeof BullMQ {
  return poolDeps().bullmq;
}

/** The ioredis client class, loaded on first use. */
export function loadIoredis(): typeof Redis {
  return poolDeps().Redis;
}
