// One job on a worker: checked (protocol version, coordinator alive, not cancelled), its inputs
// written, its process run with parex's own machinery (process group, stop ladder, deadline,
// idle timeout, the worker's fork server), its log streamed back, its outputs sent, its end told.
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import type { EscapeeSweeper } from '../engine/escapees.js';
import type { Launcher } from '../process/launcher.js';
import { type ProcessOutcome, runProcess } from '../process/run-process.js';
import { JOB_MARKER, RUN_MARKER, type SweptProcesses } from '../process/terminate/sweep.js';
import type { Redactor } from '../redact/redactor.js';
import { inside, packFiles, unpackFiles } from './files.js';
import { HeldStart } from './held-start.js';
import { redactorFor } from './job-redactor.js';
import { LogSender } from './log-sender.js';
import type { RedisClient } from './modules.js';
import { type JobPayload, type RemoteOutcome, refusal, runKeys } from './protocol.js';
import { describe, outcomeOf, sendEnd, sendFiles } from './remote-end.js';
import { type PlacedWorkspace, placeWorkspace, stoppedOr } from './remote-workspace.js';
import type { RunningJobs } from './running-jobs.js';
import { packSides, placeSides } from './side-files.js';
import { sendSwept, sweepBoundMs } from './sweep-wait.js';
import { eventsTtlMs } from './timing.js';
import type { KeptLog } from './worker-watch.js';

/** What every job of a worker shares. */
export interface WorkerContext {
  readonly name: string;
  readonly host: string;
  /** The worker's own marker: its fork server stops every process carrying it if it dies. */
  readonly id: string;
  readonly workdir: string;
  readonly client: RedisClient;
  readonly launcher: Launcher;
  readonly sweeper: EscapeeSweeper;
  /** The grace of the worker's sweeps (SIGTERM, then SIGKILL after it). */
  readonly graceMs: number;
  /** Sweep results on their way to Redis (told after their jobs' ends). */
  readonly telling: Set<Promise<void>>;
  readonly jobs: RunningJobs;
  readonly kept: Set<KeptLog>;
  /** The worker's own environment as jobs get it (without its Redis URL). */
  readonly env: Readonly<NodeJS.ProcessEnv>;
  readonly print: (line: string) => void;
  /** Prints a line within 10 ms (with the lines after it), for a job's `started` line. */
  readonly printSoon: (line: string) => void;
  /** The redactors of the jobs' environments and patterns so far (the same for a run's jobs). */
  readonly redactors: Map<string, Redactor>;
}

/** Runs one job's payload to its end; never throws for the job's own failures. */
export async function runRemoteJob(
  context: WorkerContext,
  data: unknown,
  queueSignal: AbortSignal | undefined,
): Promise<void> {
  const refused = refusal(data);
  const payload = data as JobPayload;
  const keys = runKeys(String(payload?.run));
  const stream = keys.jobStream(payload?.name, payload?.attempt);
  const key = `${payload?.name}.${payload?.attempt}`;
  const start = new HeldStart(context.client, stream);
  const tell = (outcome: Partial<RemoteOutcome>) =>
    sendEnd(context.client, stream, outcome, start.take());
  // The coordinator reads a job's stream once it knows a worker took the job; one round trip
  // tells it and reads whether the job may still run.
  const replies = await context.client
    .pipeline()
    .xadd(
      keys.events,
      '*',
      't',
      'taken',
      'job',
      key,
      'at',
      String(Date.now()),
      'worker',
      context.name,
      'host',
      context.host,
    )
    .pexpire(keys.events, eventsTtlMs())
    .mget(keys.alive, keys.cancel)
    .exec();
  const failed = replies?.find(([error]) => error !== null)?.[0];
  if (failed) throw failed;
  const [alive, cancelled] = (replies?.[2]?.[1] ?? [null, null]) as (string | null)[];
  if (refused !== null) {
    context.print(`[parex] refused a job: ${refused}`);
    return tell({ refused });
  }
  const label = `${payload.run}/${payload.name}`;
  // What the worker prints of this job hides the job's secrets, found as a local run finds them.
  const jobEnv = { ...context.env, ...payload.env };
  const redactor = redactorFor(context.redactors, jobEnv, payload);
  const print = (line: string) => context.print(redactor.text(line));
  if (alive === null) {
    print(`[parex] skipped ${label}: its coordinator is gone`);
    return tell({ refused: 'its coordinator was gone before it started', notStarted: true });
  }
  if (cancelled !== null) return tell({ refused: 'cancelled before it started', notStarted: true });
  const cwd = inside(context.workdir, payload.cwd) ?? context.workdir;
  mkdirSync(cwd, { recursive: true });
  const unpacked = unpackFiles(cwd, payload.inputs);
  if (unpacked !== null) return tell({ refused: unpacked });
  // As on the coordinator, the directories the job writes its outputs into exist.
  for (const output of payload.outputs) {
    const full = inside(cwd, output);
    if (full !== null) mkdirSync(path.dirname(full), { recursive: true });
  }
  // Its side files (last message, per-job home) live in the worker's own job area.
  const sideDir = path.join(context.workdir, '.parex', 'side', payload.run, key);
  const input = payload.input === null ? null : Buffer.from(payload.input, 'base64');
  const sides = placeSides(sideDir, payload.side ?? [], payload.argv, jobEnv, context.env, input);
  if ('error' in sides) return tell({ refused: sides.error });
  const logDir = path.join(context.workdir, '.parex', 'worker-logs', payload.run);
  mkdirSync(logDir, { recursive: true });
  const logPath = path.join(logDir, `${payload.name}.attempt${payload.attempt}.log`);
  const switches = context.jobs.add(payload.run, key);
  const onQueueAbort = () => switches.cancel.abort('cancelled');
  queueSignal?.addEventListener('abort', onQueueAbort, { once: true });
  const marker = `${context.id}/${payload.run}/${key}`;
  const sender = new LogSender(context.client, stream, logPath, () => start.send());
  const env = { ...sides.env, [RUN_MARKER]: context.id, [JOB_MARKER]: marker };
  let ran: ProcessOutcome;
  let sweeping: Promise<SweptProcesses> | null = null;
  let placed: PlacedWorkspace | null = null;
  try {
    if (payload.workspace !== undefined) {
      const { run, name, attempt, graceMs } = payload;
      const bundleStream = keys.jobBundle(name, attempt);
      const at = { run, name, attempt, stream, bundleStream, logDir, env, graceMs, switches };
      placed = await placeWorkspace(context, payload.workspace, at);
      if (placed.failed !== null) {
        await sender.finish();
        packSides(sides); // nothing ran: its side directory goes
        print(`[parex] could not start ${label}: ${placed.failed.setupFailed}`);
        return await tell(stoppedOr(switches, placed.failed));
      }
    }
    ran = await runProcess({
      argv: sides.argv,
      cwd: placed?.cwd ?? cwd,
      env,
      input: sides.input,
      logPath,
      timeoutMs: payload.timeoutMs,
      idleMs: payload.idleMs,
      graceMs: payload.graceMs,
      stopSignals: payload.stopSignals,
      cancel: switches.cancel.signal,
      stop: switches.stop.signal,
      force: switches.force.signal,
      onSpawn: (pid, startedAt) => {
        context.printSoon(
          redactor.text(
            `[parex] started  ${label} attempt ${payload.attempt} (pid ${pid}): ${shownCommand(payload, sides.argv)}`,
          ),
        );
        start.hold(pid, startedAt.getTime());
      },
      onSignal: (signal, reason) => {
        start.send();
        void context.client
          .xadd(stream, '*', 't', 'signal', 'signal', signal, 'reason', reason)
          .catch(() => {});
      },
      launcher: context.launcher,
    });
    // A short job's escapees are newer than its process: the sweep looks at those only.
    const started = ran.pid === null ? null : { pid: ran.pid, startedAt: ran.startedAt.getTime() };
    sweeping = context.sweeper.jobEnded(label, marker, started);
  } finally {
    queueSignal?.removeEventListener('abort', onQueueAbort);
    context.jobs.remove(payload.run, key);
    sweeping ??= context.sweeper.jobEnded(label, marker);
  }
  // Whether the sweep is over by the time the end is told.
  const sweptBy: { value: SweptProcesses | null } = { value: null };
  void sweeping.then((result) => {
    sweptBy.value = { count: result.count, signals: result.signals };
  });
  const logBytes = await sender.finish();
  const outputs = ran.pid === null ? { files: [] } : packFiles(cwd, payload.outputs, 'output');
  // What a workspace and files send goes after the start entry.
  if (placed !== null) start.send();
  const work = placed === null ? {} : await placed.finish();
  const back = packSides(sides);
  for (const [type, packed] of [
    ['file', outputs],
    ['side', back],
  ] as const) {
    if (!('files' in packed) || packed.files.length === 0) continue;
    start.send();
    await sendFiles(context.client, stream, type, packed.files);
  }
  context.printSoon(
    redactor.text(`[parex] finished ${label} attempt ${payload.attempt}: ${describe(ran)}`),
  );
  context.kept.add({ stream, path: logPath });
  // The sweep's scan runs at the next turn of the event loop: a job that left nothing behind has
  // its result by then, which then goes with the end (one entry, and nothing to wait for).
  await Promise.race([sweeping, nextTurn()]);
  // The end is told at once, so that this slot takes the next job: with the escapee sweep's
  // result when it is in already, else that follows as its own entry (which the coordinator
  // waits for before the completion line).
  const swept = sweptBy.value;
  await tell({
    ...outcomeOf(ran, logBytes),
    ...(swept === null ? { sweptWithinMs: sweepBoundMs(context.graceMs) } : { swept }),
    ...(switches.handedBack === null ? {} : { handedBack: switches.handedBack }),
    ...('error' in back ? { outputsError: `a side file: ${back.error}` } : {}),
    ...('error' in outputs ? { outputsError: outputs.error } : {}),
    ...work,
  });
  if (swept !== null) return;
  const told = sweeping.then((result) => sendSwept(context.client, stream, result)).catch(() => {});
  context.telling.add(told);
  void told.finally(() => context.telling.delete(told));
}

/** The command as the worker prints it: the coordinator's redacted form of each argument, except
 * where the worker put its own side path (no secret there), for older coordinators its own. */
function shownCommand(payload: JobPayload, argv: readonly string[]): string {
  const shown = payload.shownArgv;
  if (shown === undefined || shown.length !== argv.length) return argv.join(' ');
  return argv.map((arg, i) => (arg === payload.argv[i] ? shown[i] : arg)).join(' ');
}

/** Resolves after the callbacks already waiting for the next turn of the event loop. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
