// The worker's start and end entries of a job's stream. The start is held back a moment: a job
// that ends within it has its start told with its end, in one write (on loopback each write
// costs both sides about as much CPU as the job's own start); any other entry (a signal, files,
// a bundle) first sends it, so the coordinator sees the start before anything after it.
import type { RedisClient } from './modules.js';
import type { RemoteOutcome } from './protocol.js';

/** How long a job's start entry waits for its end before it is sent alone. */
export const START_HOLD_MS = 10;

/** One job's start entry, until it is sent. */
export class HeldStart {
  private fields: string[] | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: RedisClient,
    private readonly stream: string,
  ) {}

  /** The job's process started: its entry goes out within START_HOLD_MS. */
  hold(pid: number, startedAt: Date): void {
    this.fields = ['t', 'start', 'pid', String(pid), 'at', String(startedAt.getTime())];
    this.timer = setTimeout(() => this.send(), START_HOLD_MS);
  }

  /** Sends the entry now if it is still held. */
  send(): void {
    const fields = this.take();
    if (fields !== null) void this.client.xadd(this.stream, '*', ...fields).catch(() => {});
  }

  /** The entry's fields, for the end's write, if not sent yet. */
  take(): string[] | null {
    clearTimeout(this.timer);
    const fields = this.fields;
    this.fields = null;
    return fields;
  }
}

/** Tells a job's end (after its held start, if any) in one write. */
export async function sendEnd(
  client: RedisClient,
  stream: string,
  outcome: Partial<RemoteOutcome>,
  start: HeldStart | null = null,
): Promise<void> {
  const pipeline = client.pipeline();
  const held = start?.take() ?? null;
  if (held !== null) pipeline.xadd(stream, '*', ...held);
  // The coordinator deletes the stream once it has everything; if it never does, Redis will.
  await pipeline
    .xadd(stream, '*', 't', 'end', 'r', JSON.stringify(outcome))
    .expire(stream, 24 * 3600)
    .exec();
}
