// How a worker tells a job's end: its process outcome as the coordinator reads it, the files
// it sends back, and the line it prints.
import type { ProcessOutcome } from '../process/run-process.js';
import type { RedisClient } from './modules.js';
import type { FilePayload, RemoteOutcome } from './protocol.js';
import { eventsTtlMs } from './timing.js';

/** The outcome of `ran` as the end entry carries it. */
export function outcomeOf(ran: ProcessOutcome, logBytes: number): RemoteOutcome {
  const error = ran.spawnError;
  return {
    pid: ran.pid,
    startedAt: ran.startedAt.getTime(),
    endedAt: ran.endedAt.getTime(),
    durationMs: ran.durationMs,
    exitCode: ran.exitCode,
    signal: ran.signal,
    stopReason: ran.stopReason,
    signalsSent: ran.signalsSent,
    reapedLeftovers: ran.reapedLeftovers,
    spawnError:
      error === null
        ? null
        : {
            message: error.message,
            ...(error.code === undefined ? {} : { code: error.code }),
            ...(error.syscall === undefined ? {} : { syscall: error.syscall }),
            ...(error.path === undefined ? {} : { path: error.path }),
          },
    logBytes,
  };
}

/** Adds the end entry to the job's stream (which then expires unless the coordinator drops it),
 * after the start entry's `start` fields when that was held until now (one write for both). */
export async function sendEnd(
  client: RedisClient,
  stream: string,
  outcome: Partial<RemoteOutcome>,
  start: string[] | null = null,
): Promise<void> {
  const pipeline = client.pipeline();
  if (start !== null) pipeline.xadd(stream, '*', ...start);
  // The coordinator deletes the stream once it has everything; if it never does (it died), Redis
  // will, as it does the run's other keys.
  await pipeline
    .xadd(stream, '*', 't', 'end', 'r', JSON.stringify(outcome))
    .pexpire(stream, eventsTtlMs())
    .exec();
}

/** How the job ended, in words. */
export function describe(ran: ProcessOutcome): string {
  if (ran.spawnError !== null) return `could not start (${ran.spawnError.message})`;
  if (ran.stopReason !== null) return `stopped (${ran.stopReason}, ${ran.signalsSent.join(', ')})`;
  return ran.signal === null ? `exit ${ran.exitCode}` : `ended by ${ran.signal}`;
}

/** Sends `files` on the job's stream as entries of `type` (file: outputs; side: side files). */
export async function sendFiles(
  client: RedisClient,
  stream: string,
  type: 'file' | 'side',
  files: readonly FilePayload[],
): Promise<void> {
  for (const file of files) {
    await client.xadd(
      stream,
      '*',
      't',
      type,
      'p',
      file.path,
      'm',
      String(file.mode),
      'd',
      file.data,
    );
  }
}
