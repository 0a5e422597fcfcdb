// Per-agent concurrency caps (`limits: { claude: 2 }`, --limit claude=2): never more than N
// jobs of that agent at once, on top of -j.
/** How many jobs of each capped agent hold a slot now. */
export class AgentCaps {
  private readonly running = new Map<string, number>();

  constructor(private readonly caps: ReadonlyMap<string, number>) {}

  /** True when one more job of `agent` may start. */
  allows(agent: string | null): boolean {
    const cap = agent === null ? undefined : this.caps.get(agent);
    return cap === undefined || (this.running.get(agent as string) ?? 0) < cap;
  }

  /** A job of `agent` took a slot (from its start to its last attempt's end). */
  take(agent: string | null): void {
    if (agent !== null) this.running.set(agent, (this.running.get(agent) ?? 0) + 1);
  }

  /** A job of `agent` gave its slot back; true when that agent is capped. */
  release(agent: string | null): boolean {
    if (agent === null) return false;
    this.running.set(agent, Math.max(0, (this.running.get(agent) ?? 0) - 1));
    return this.caps.has(agent);
  }
}
