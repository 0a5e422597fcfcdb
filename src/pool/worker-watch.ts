// What a worker watches besides its queues: cancels published by coordinators (at once), and
// every 2 s the keys behind them: a run's cancel, one attempt's cancel, and the coordinator's
// heartbeat, whose absence means it died: that run's jobs are then stopped (within 15 s of the
// coordinator's death, with a TTL of 10 s). Log copies whose stream the coordinator has deleted
// (its acknowledgement) are removed here too, and so is a run's directory of copies once empty.
// Each check renews the expiry of the running jobs' streams.
import { rm } from 'node:fs/promises';

import type { RedisClient } from './modules.js';
import { CANCEL_CHANNEL, type CancelMessage, runKeys } from './protocol.js';
import type { RunningJobs } from './running-jobs.js';
import { eventsTtlMs, HEARTBEAT_TTL_MS } from './timing.js';
import { removeEmptyRunDirs } from './worker-log-dirs.js';

/** How often the keys are checked. */
export const WATCH_INTERVAL_MS = 2000;
/** How long Redis may be unreachable before a worker stops its jobs. */
const REDIS_LOST_MS = HEARTBEAT_TTL_MS + 5000;

/** A worker's log copy, kept until its coordinator has written it. */
export interface KeptLog {
  readonly stream: string;
  readonly path: string;
}

/** Subscribes to cancels and checks the keys; returns a function that stops watching. */
export function watchRuns(
  client: RedisClient,
  subscriber: RedisClient,
  jobs: RunningJobs,
  kept: Set<KeptLog>,
  print: (line: string) => void,
): () => void {
  void subscriber.subscribe(CANCEL_CHANNEL).catch(() => {});
  subscriber.on('message', (_channel: string, text: string) => {
    let message: CancelMessage;
    try {
      message = JSON.parse(text) as CancelMessage;
    } catch {
      return;
    }
    if (message.why !== undefined && message.job !== undefined) {
      jobs.stopFor(message.run, message.job, message.why);
      return;
    }
    jobs.stop(message.run, message.job ?? null, message.force, 'cancelled by its coordinator');
  });
  let checking = false;
  let downSince: number | null = null;
  const timer = setInterval(() => {
    // No coordinator can hear of a job while Redis is gone: after the heartbeat's TTL and a
    // margin, the jobs stop as they would for a dead coordinator.
    if (client.status !== 'ready') {
      downSince ??= Date.now();
      if (Date.now() - downSince >= REDIS_LOST_MS && jobs.size > 0) {
        print('[parex] Redis unreachable: stopping every job (no coordinator can hear of them)');
        for (const [run] of jobs.runs()) jobs.stop(run, null, false, 'Redis unreachable');
      }
    } else {
      downSince = null;
    }
    if (checking) return;
    checking = true;
    check(client, jobs, kept, print)
      .catch(() => {})
      .finally(() => {
        checking = false;
      });
  }, WATCH_INTERVAL_MS);
  return () => clearInterval(timer);
}

async function check(
  client: RedisClient,
  jobs: RunningJobs,
  kept: Set<KeptLog>,
  print: (line: string) => void,
): Promise<void> {
  const runs = jobs.runs();
  // One round trip for every run: its keys, and the expiry of its running jobs' streams renewed
  // (a dead coordinator deletes none of them: they lapse by themselves, and the log path sends
  // no command of its own for this).
  const asking = client.pipeline();
  const ttl = eventsTtlMs();
  for (const [run, keys] of runs) {
    const names = runKeys(run);
    asking.mget(names.alive, names.cancel, ...keys.map((key) => names.jobCancel(...splitKey(key))));
    for (const key of keys) {
      asking.pexpire(names.jobStream(...splitKey(key)), ttl);
      asking.pexpire(names.jobBundle(...splitKey(key)), ttl);
    }
  }
  const replies = runs.length === 0 ? [] : ((await asking.exec()) ?? []);
  let at = 0;
  for (const [run, keys] of runs) {
    const [error, values] = replies[at] ?? [null, null];
    at += 1 + 2 * keys.length;
    if (error !== null || !Array.isArray(values)) continue;
    const [alive, cancel, ...each] = values as (string | null)[];
    if (alive === null) {
      print(`[parex] run ${run}: its coordinator's heartbeat is gone; stopping its jobs`);
      jobs.stop(run, null, false, 'its coordinator is gone');
    } else if (cancel !== null && cancel !== undefined) {
      jobs.stop(run, null, cancel === 'force', 'cancelled by its coordinator');
    }
    each.forEach((value, index) => {
      const key = keys[index] ?? '';
      if (value === 'budget') jobs.stopFor(run, key, value);
      else if (value !== null && value !== undefined)
        jobs.stop(run, key, value === 'force', 'cancelled by its coordinator');
    });
  }
  await dropAcknowledged(client, kept, jobs);
}

/** Removes the log copies whose stream is gone (one round trip for all of them, the files
 * removed off the event loop: a 64 MiB log's unlink held it for 50 ms while others stream). */
async function dropAcknowledged(
  client: RedisClient,
  kept: Set<KeptLog>,
  jobs: RunningJobs,
): Promise<void> {
  const logs = [...kept];
  if (logs.length === 0) return;
  const asking = client.pipeline();
  for (const log of logs) asking.exists(log.stream);
  const replies = (await asking.exec()) ?? [];
  const gone = logs.filter((_log, index) => {
    const [error, count] = replies[index] ?? [null, 1];
    return error === null && count === 0;
  });
  for (const log of gone) kept.delete(log);
  await Promise.all(gone.map((log) => rm(log.path, { force: true }).catch(() => {})));
  removeEmptyRunDirs(gone, kept, jobs);
}

/** `name.attempt` into its two parts. */
export function splitKey(key: string): [string, number] {
  const dot = key.lastIndexOf('.');
  return [key.slice(0, dot), Number(key.slice(dot + 1))];
}
