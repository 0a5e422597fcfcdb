// The coordinator's acknowledgements: an attempt's stream is deleted once its log is written
// here (the kernel has every byte, as for a local run's log), which tells its worker that its
// copy may go. The streams acknowledged within ACK_GATHER_MS go in one DEL (a worker looks for
// its acknowledgements every 2 s), not one command per job.
import type { RedisClient } from './modules.js';

/** How long an acknowledgement waits for others to share its DEL. */
const ACK_GATHER_MS = 50;

/** The acknowledgements of one run. */
export class Acknowledgements {
  /** Acknowledgements whose log is not yet written, or whose DEL is not yet answered. */
  private readonly pending = new Set<Promise<unknown>>();
  /** The DEL being gathered: its streams, its timer, its answer, and what sends it. */
  private batch: {
    readonly streams: string[];
    readonly timer: NodeJS.Timeout;
    readonly sent: Promise<unknown>;
    readonly go: () => void;
  } | null = null;

  constructor(private readonly client: RedisClient) {}

  /** Deletes `stream` once `written` (its log written here) has resolved; not when it rejects
   * (the log could not be written here, and the worker's copy is the whole one). */
  add(stream: string, written: Promise<void>): void {
    const ack = written.then(() => this.gather(stream)).catch(() => {});
    this.pending.add(ack);
    void ack.finally(() => this.pending.delete(ack));
  }

  /** Resolves once every acknowledgement added so far is sent and answered (or failed). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) {
      this.send();
      await Promise.allSettled([...this.pending]);
    }
  }

  /** Joins the DEL being gathered; resolves when it is answered. */
  private gather(stream: string): Promise<unknown> {
    if (this.batch === null) {
      const streams: string[] = [];
      let go = () => {};
      const sent = new Promise<void>((resolve) => {
        go = resolve;
      }).then(() => this.client.del(...streams));
      const timer = setTimeout(() => this.send(), ACK_GATHER_MS);
      this.batch = { streams, timer, sent, go };
    }
    this.batch.streams.push(stream);
    return this.batch.sent;
  }

  /** Sends the DEL gathered so far now. */
  private send(): void {
    const batch = this.batch;
    if (batch === null) return;
    this.batch = null;
    clearTimeout(batch.timer);
    batch.go();
  }
}
