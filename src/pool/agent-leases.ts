// Per-agent caps across the whole pool (--limit claude=2, a workflow's `limits:`): before a job
// of a capped agent goes to its queue, its coordinator takes one of that agent's leases, kept in
// one Redis sorted set per agent that every coordinator on that Redis shares (taken atomically by
// a script, on Redis's clock), and gives it back when the attempt ends. A lease covers the job
// from before it is queued to after its end is heard, so the cap holds for the processes on the
// workers whatever the queues and tags; each coordinator compares the leases out with its own cap.
// Leases are refreshed every 2 s and lapse 30 s after their coordinator died (by then its workers
// have stopped its jobs).
import type { RedisClient } from './modules.js';

/** How long a lease lives without being refreshed. */
export const LEASE_TTL_MS = 30_000;
/** How often held leases are refreshed. */
const REFRESH_MS = 2000;
/** How often a coordinator whose agent is at its cap asks again. */
const RETRY_MS = 250;

// KEYS[1] the agent's set; ARGV: member, cap, ttl. Drops lapsed leases, then takes one if fewer
// than the cap are out (a member that holds one already keeps it).
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return 1
end
return 0`;

// KEYS[1] the agent's set; ARGV: ttl, members. Extends the leases still held.
const REFRESH = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 0`;

/** The Redis key of an agent's leases. */
export function leaseKey(agent: string): string {
  return `parex-run:caps:${agent}`;
}

/** One coordinator's side of the pool-wide per-agent caps. */
export class AgentLeases {
  /** Held leases: member → agent. */
  private readonly held = new Map<string, string>();
  private readonly waiting = new Set<() => void>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly client: RedisClient,
    private readonly caps: ReadonlyMap<string, number>,
  ) {
    this.timer = setInterval(() => this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  /** True when jobs of `agent` need a lease. */
  capped(agent: string | null): agent is string {
    return agent !== null && this.caps.has(agent);
  }

  /** Waits for a lease of `agent` for `member`; false when `stopped()` turns true first, or
   * `over` settles (the attempt ended another way). */
  async take(
    agent: string,
    member: string,
    stopped: () => boolean,
    over: Promise<unknown>,
  ): Promise<boolean> {
    let ended = false;
    void over.finally(() => {
      ended = true;
      for (const wake of this.waiting) wake();
    });
    while (!ended && !stopped()) {
      const asking = this.client.eval(
        TAKE,
        1,
        leaseKey(agent),
        member,
        this.caps.get(agent) ?? 0,
        LEASE_TTL_MS,
      );
      const got = await Promise.race([asking, over.then(() => -1)]);
      if (got === -1) {
        // Given up on (Redis away, the attempt lost): a lease granted later goes back at once.
        void asking.then((late) => late === 1 && this.release(member, agent)).catch(() => {});
        return false;
      }
      if (got === 1) {
        if (ended || stopped()) {
          this.release(member, agent);
          return false;
        }
        this.held.set(member, agent);
        return true;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiting.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, RETRY_MS);
        this.waiting.add(wake);
      });
    }
    return false;
  }

  /** Gives a lease back (nothing when `member` holds none); wakes the jobs waiting here. */
  release(member: string, agent = this.held.get(member)): void {
    this.held.delete(member);
    if (agent === undefined) return;
    void this.client.zrem(leaseKey(agent), member).catch(() => {});
    for (const wake of this.waiting) wake();
  }

  /** Stops refreshing; held leases are given back by their attempts. */
  close(): void {
    clearInterval(this.timer);
  }

  private refresh(): void {
    const byAgent = new Map<string, string[]>();
    for (const [member, agent] of this.held) {
      byAgent.set(agent, [...(byAgent.get(agent) ?? []), member]);
    }
    for (const [agent, members] of byAgent) {
      void this.client.eval(REFRESH, 1, leaseKey(agent), LEASE_TTL_MS, ...members).catch(() => {});
    }
  }
}
