// A worker's name is its own in the pool: claimed in Redis (SET NX, value its token, host and
// pid) before it takes any job, refreshed while it lives, deleted when it stops (only while it
// is still its own). Manifests (`worker`), `lost` reasons and cancels name workers: two live
// workers of one name would make them lie, so a second one is refused. The key lapses the
// worker's lock duration (15 s) after its last refresh, so a worker killed with SIGKILL frees its
// name by then; a holder on this host whose process is gone frees it at once (a restarted unit).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { UsageError } from '../errors.js';
import type { RedisClient } from './modules.js';

/** How long a stopping worker waits for its name's key to be deleted. */
const RELEASE_WAIT_MS = 2000;

/** The key that holds a worker name (under parex-run:, which the pool's ACL user may use). */
export function workerNameKey(name: string): string {
  return `parex-run:workers:${name}`;
}

/** Who holds a name: the key's value. */
export interface NameHolder {
  readonly token: string;
  readonly host: string;
  readonly pid: number;
  readonly since: number;
}

// KEYS[1] the name; ARGV: our value, ttl. Keeps a name that is ours (or free again); 0 when
// another worker has it.
const REFRESH = `
local held = redis.call('GET', KEYS[1])
if held and held ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

// KEYS[1] the name; ARGV: what it must hold to be deleted (or taken over), and what replaces it.
const SWAP = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return 1`;

/** This worker's claim on its name. */
export class WorkerName {
  private readonly key: string;
  private readonly value: string;
  private warned = false;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly client: RedisClient,
    private readonly name: string,
    host: string,
    private readonly ttlMs: number,
  ) {
    this.key = workerNameKey(name);
    const holder: NameHolder = { token: randomUUID(), host, pid: process.pid, since: Date.now() };
    this.value = JSON.stringify(holder);
  }

  /** Claims `name`; a UsageError (exit 2) naming the live holder when another worker has it. */
  static async claim(
    client: RedisClient,
    name: string,
    host: string,
    ttlMs: number,
  ): Promise<WorkerName> {
    const claim = new WorkerName(client, name, host, ttlMs);
    for (let tries = 0; tries < 3; tries += 1) {
      if ((await client.set(claim.key, claim.value, 'PX', ttlMs, 'NX')) !== null) return claim;
      const held = await client.get(claim.key);
      if (held === null) continue; // it lapsed meanwhile
      const holder = parseHolder(held);
      // A holder on this host whose process is gone (killed, its unit restarting) is no more.
      if (holder !== null && holder.host === host && !processAlive(holder.pid)) {
        if ((await client.eval(SWAP, 1, claim.key, held, claim.value, ttlMs)) === 1) return claim;
        continue;
      }
      throw taken(name, holder, ttlMs);
    }
    throw taken(name, null, ttlMs);
  }

  /** Renews the claim three times per TTL until released; `print` hears of a lost name. */
  keep(print: (line: string) => void): void {
    this.timer = setInterval(
      () => void this.refresh(print).catch(() => {}),
      Math.min(2000, this.ttlMs / 3),
    );
    this.timer.unref();
  }

  private async refresh(print: (line: string) => void): Promise<void> {
    // Not queued while Redis is away: the first check after it is back claims the name again.
    if (this.client.status !== 'ready') return;
    const kept = await this.client.eval(REFRESH, 1, this.key, this.value, this.ttlMs);
    if (kept === 1 || this.warned) return;
    this.warned = true;
    const holder = parseHolder((await this.client.get(this.key)) ?? '');
    print(
      `[parex] worker name ${this.name} was taken by ${holder === null ? 'another worker' : `${holder.host} (pid ${holder.pid})`} while Redis could not hear from this one: records will name both; stop one of them`,
    );
  }

  /** Deletes the claim if it is still this worker's (a clean shutdown frees the name at once). */
  async release(): Promise<void> {
    clearInterval(this.timer);
    // A Redis that is gone would hold the command (and the worker's exit) until it is back.
    if (this.client.status !== 'ready') return;
    const deleting = this.client.eval(SWAP, 1, this.key, this.value, '', 0).catch(() => {});
    await Promise.race([deleting, sleep(RELEASE_WAIT_MS, null, { ref: false })]);
  }
}

function taken(name: string, holder: NameHolder | null, ttlMs: number): UsageError {
  const where = holder === null ? 'elsewhere' : `on ${holder.host} (pid ${holder.pid})`;
  return new UsageError(
    `worker ${name} is already running ${where}`,
    `manifests, lost reasons and cancels name workers, so two live workers may not share a name (a worker that died frees its name within ${Math.ceil(ttlMs / 1000)} s)`,
    `give this one another --name, or stop that one`,
  );
}

/** The holder in a name key's value, or null when it is not one. */
function parseHolder(text: string): NameHolder | null {
  try {
    const holder = JSON.parse(text) as Partial<NameHolder>;
    if (typeof holder.host !== 'string' || typeof holder.pid !== 'number') return null;
    return holder as NameHolder;
  } catch {
    return null;
  }
}

/** Whether a process `pid` other than this one exists on this host (EPERM: another user's). A
 * holder with this process's pid is an earlier life of it (a container restarted: the same host
 * name and pid), never a live one. */
function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
