// How a coordinator stops its jobs in the pool: a job still in its queue leaves it; a running
// one is stopped by its worker, told at once (pub/sub) and through a key it checks every 2 s.
import type { Queue } from 'bullmq';

import type { RedisClient } from './modules.js';
import { CANCEL_CHANNEL, type CancelMessage, type JobStopReason, runKeys } from './protocol.js';
import type { RemoteAttempt } from './remote-attempt.js';
import { splitKey } from './worker-watch.js';

/** How long a cancel key outlives the run. */
const CANCEL_TTL_S = 3600;

/** The cancels of one run. */
export class RunCancels {
  private readonly keys;

  /** `queueOf` finds the queue an attempt was added to (none before it is added). */
  constructor(
    private readonly client: RedisClient,
    private readonly runId: string,
    private readonly queueOf: (jobId: string) => Queue | undefined,
  ) {
    this.keys = runKeys(runId);
  }

  /** Cancels one attempt ('force' skips the grace), or stops it for a reason of its own. */
  async attempt(attempt: RemoteAttempt, how: 'cancel' | 'force' | JobStopReason): Promise<void> {
    const why = how === 'cancel' || how === 'force' ? null : how;
    try {
      const queue = this.queueOf(attempt.jobId);
      if (attempt.taken === null && queue !== undefined) {
        if ((await queue.remove(attempt.jobId)) === 1) return attempt.removed(why);
      }
      await this.client.set(this.keys.jobCancel(...splitKey(attempt.key)), how, 'EX', CANCEL_TTL_S);
      const message: CancelMessage = {
        run: this.runId,
        job: attempt.key,
        force: how === 'force',
        ...(why === null ? {} : { why }),
      };
      await this.client.publish(CANCEL_CHANNEL, JSON.stringify(message));
    } catch {}
  }

  /** Cancels the run: queued jobs leave the queue, every worker stops the running ones. */
  run(attempts: Iterable<RemoteAttempt>, force: boolean): void {
    for (const attempt of attempts) {
      if (!force && attempt.taken === null) void this.attempt(attempt, 'cancel');
    }
    const message: CancelMessage = { run: this.runId, force };
    void this.client
      .set(this.keys.cancel, force ? 'force' : 'cancel', 'EX', CANCEL_TTL_S)
      .then(() => this.client.publish(CANCEL_CHANNEL, JSON.stringify(message)))
      .catch(() => {});
  }
}
