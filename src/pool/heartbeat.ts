// The coordinator's heartbeat: a key it sets when the run starts (refusing a run id another
// live coordinator holds) and refreshes every 2 s with a TTL of 10 s, so that workers stop the
// jobs of a coordinator that died. It also watches the connection: Redis unreachable for longer
// than the wait (PAREX_POOL_REDIS_WAIT_MS) makes the run give up on what is still open. Each
// beat refreshes the expiry of the run's events stream too; releasing deletes both.
import { UsageError } from '../errors.js';
import type { GroupPlan } from '../options/normalize.js';
import { openClient } from './connection.js';
import type { RedisClient } from './modules.js';
import { runKeys } from './protocol.js';
import type { RedisAddress } from './redis-url.js';
import { eventsTtlMs, HEARTBEAT_EVERY_MS, HEARTBEAT_TTL_MS, redisWaitMs } from './timing.js';

/** The heartbeat of one run. */
export class Heartbeat {
  private readonly timer: NodeJS.Timeout;
  private downSince: number | null = null;
  private giveUp: ((why: string) => void) | null = null;
  /** Why the run gave up on Redis, once it has. */
  lostReason: string | null = null;

  private constructor(
    private readonly client: RedisClient,
    private readonly key: string,
    private readonly events: string,
    private readonly token: string,
    private readonly shown: string,
  ) {
    this.timer = setInterval(() => this.beat(), HEARTBEAT_EVERY_MS);
  }

  /** Sets the run's key; a UsageError when a live coordinator already runs under that id. */
  static async claim(address: RedisAddress, plan: GroupPlan): Promise<Heartbeat> {
    const client = openClient(address, `parex:${plan.runId}:heartbeat`, () => {});
    const { alive: key, events } = runKeys(plan.runId);
    const token = `${process.pid}-${Date.now()}`;
    const set = await client.set(key, token, 'PX', HEARTBEAT_TTL_MS, 'NX');
    if (set === null) {
      client.disconnect();
      throw new UsageError(
        `run ${plan.runId} is already running on the pool at ${address.shown}`,
        'two coordinators with one run id would take each other’s jobs',
        'start the run again: it gets a new run id',
      );
    }
    return new Heartbeat(client, key, events, token, address.shown);
  }

  /** `giveUp` is told once when Redis has been unreachable for too long. */
  onGiveUp(giveUp: (why: string) => void): void {
    this.giveUp = giveUp;
  }

  /** Stops beating and removes the key and the run's events stream. */
  async release(): Promise<void> {
    clearInterval(this.timer);
    if (this.client.status === 'ready') {
      await this.client.del(this.key, this.events).catch(() => {});
    }
    this.client.disconnect();
  }

  private beat(): void {
    if (this.client.status === 'ready') {
      this.downSince = null;
      void this.client
        .multi()
        .set(this.key, this.token, 'PX', HEARTBEAT_TTL_MS)
        .pexpire(this.events, eventsTtlMs())
        .exec()
        .catch(() => {});
      return;
    }
    this.downSince ??= Date.now();
    const waited = Date.now() - this.downSince;
    if (this.lostReason === null && waited >= redisWaitMs()) {
      this.lostReason = `Redis at ${this.shown} unreachable for ${Math.round(waited / 1000)}s`;
      this.giveUp?.(this.lostReason);
    }
  }
}
