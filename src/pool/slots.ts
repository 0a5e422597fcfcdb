// A worker's --concurrency across all the queues it serves: each BullMQ worker may hold a job
// more than its share for a moment (its concurrency cannot go below 1), so a job runs only once
// it has one of the worker's slots.

/** At most `size` holders at once; the others wait in order. */
export class Slots {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  /** Resolves once a slot is free, and takes it. */
  async take(): Promise<void> {
    if (this.held < this.size) {
      this.held += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Frees a slot, handing it to the next waiter if any. */
  give(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.held -= 1;
    else next();
  }
}
