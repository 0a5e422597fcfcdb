// One job's process from spawn to the end of its whole group: deadline, cancellation,
// the stop ladder, and the reaping of anything it left behind.
import type { StopReason } from '../model/outcome.js';
import { monotonicMs } from './clock.js';
import { hasLeaderEnded, isGroupAlive } from './group.js';
import type { Launcher } from './launcher.js';
import type { JobChild } from './spawn.js';
import { startDeadline } from './terminate/deadline.js';
import { watchIdle } from './terminate/idle.js';
import { climbStopLadder, type LadderResult } from './terminate/ladder.js';

/** Everything needed to run one process. */
export interface ProcessRequest {
  readonly argv: readonly [string, ...string[]];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly input: string | Uint8Array | null;
  /** Truncated, then given to the process as stdout and stderr. */
  readonly logPath: string;
  /** 0 means no deadline; any other value, however small or large, is one. */
  readonly timeoutMs: number;
  /** Stop the process when its log has not grown for this long; 0 means never. */
  readonly idleMs: number;
  readonly graceMs: number;
  readonly stopSignals: readonly NodeJS.Signals[];
  /** Aborting it stops the process the way a timeout does. */
  readonly cancel: AbortSignal | null;
  /** Aborting it stops this process alone, for the StopReason given as the abort's reason. */
  readonly stop?: AbortSignal | null;
  /** Aborting it skips the rest of the grace. */
  readonly force: AbortSignal | null;
  readonly onSpawn: (pid: number, startedAt: Date) => void;
  readonly onSignal: (signal: NodeJS.Signals, reason: StopReason | 'leftovers') => void;
  /** Starts the process: the fork server or Node's spawn (src/process/launcher.ts). */
  readonly launcher: Launcher;
}

/** What happened to the process, before any interpretation. */
export interface ProcessOutcome {
  readonly pid: number | null;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly durationMs: number;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set only when parex stopped the process with at least one signal. */
  readonly stopReason: StopReason | null;
  readonly signalsSent: readonly NodeJS.Signals[];
  /** Milliseconds from the first stop signal to SIGKILL, when parex had to send SIGKILL. */
  readonly killedAfterMs: number | null;
  readonly reapedLeftovers: boolean;
  /** Set when the process could not be started at all. */
  readonly spawnError: NodeJS.ErrnoException | null;
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** When the process ended (monotonic ms): as its launcher saw it, else when parex heard. */
  readonly at: number;
}

/** A stop in progress: why, and the ladder climbing. */
interface Stopping {
  readonly reason: StopReason;
  readonly ladder: Promise<LadderResult>;
}

/**
 * Runs one process and resolves when it and every process of its group are gone. The deadline,
 * the idle watch and the cancel are armed before anyone is told of the start, and nothing the
 * caller's `onSpawn` or `onSignal` does (or throws) can disarm them.
 */
export async function runProcess(request: ProcessRequest): Promise<ProcessOutcome> {
  const startedAt = new Date();
  const startedMs = monotonicMs();
  let child: JobChild;
  try {
    child = request.launcher.launch(request);
  } catch (error) {
    return failedToStart(startedAt, error as NodeJS.ErrnoException);
  }
  let exit: Exit | null = null;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal, at: child.exitedAtMs ?? monotonicMs() };
      resolve(exit);
    });
  });
  const spawnError = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    child.once('spawn', () => resolve(null));
    child.once('error', resolve);
  });
  if (spawnError !== null || child.pid === undefined) {
    return failedToStart(startedAt, spawnError ?? new Error('no pid'));
  }
  child.on('error', () => {}); // later errors (a failed kill) are covered by the group checks
  const pid = child.pid;
  const tell = (signal: NodeJS.Signals, reason: StopReason | 'leftovers') => {
    try {
      request.onSignal(signal, reason);
    } catch {
      // Telling is the caller's business; stopping is ours.
    }
  };
  // Whatever happens below, the watchdog must not keep watching a group parex is done with.
  try {
    let stopping: Stopping | null = null;
    /** The first time the process was seen ended (a zombie, or reaped by the fork server). */
    let endSeenAt: number | null = null;
    const stop = (reason: StopReason) => {
      if (stopping !== null || exit !== null) return;
      // The loop may be late: a process that ended before this timer ran is not stopped; its
      // exit, on its way, decides the outcome, and the leftovers of its group are stopped then.
      if (hasLeaderEnded(pid)) {
        endSeenAt ??= monotonicMs();
        return;
      }
      const ladder = climbStopLadder({
        pgid: pid,
        signals: request.stopSignals,
        graceMs: request.graceMs,
        force: request.force,
        onSignal: (signal) => tell(signal, reason),
      });
      stopping = { reason, ladder };
    };
    const cancelDeadline =
      request.timeoutMs > 0 ? startDeadline(request.timeoutMs, () => stop('timeout')) : null;
    const cancelIdle =
      request.idleMs > 0 ? watchIdle(request.logPath, request.idleMs, () => stop('stall')) : null;
    const onCancel = () => stop('cancel');
    if (request.cancel?.aborted === true) onCancel();
    else request.cancel?.addEventListener('abort', onCancel, { once: true });
    const onStop = () => stop(request.stop?.reason as StopReason);
    if (request.stop?.aborted === true) onStop();
    else request.stop?.addEventListener('abort', onStop, { once: true });
    try {
      request.onSpawn(pid, startedAt);
    } catch {
      // As above: the job is watched whatever its start line did.
    }

    const ended = await exited;
    cancelDeadline?.();
    cancelIdle?.();
    request.cancel?.removeEventListener('abort', onCancel);
    const at = Math.min(ended.at, endSeenAt ?? ended.at);
    request.stop?.removeEventListener('abort', onStop);

    let ladder: LadderResult = { signals: [], firstAt: null, lastAfterMs: null };
    let stopReason: StopReason | null = null;
    let reapedLeftovers = false;
    const stopped = stopping as Stopping | null;
    if (stopped !== null) {
      ladder = await stopped.ladder;
      stopReason = ladder.signals.length > 0 ? stopped.reason : null;
      // It ended before the first signal, on its own: its exit decides, the signals hit leftovers.
      if (ladder.firstAt !== null && at < ladder.firstAt) {
        stopReason = null;
        reapedLeftovers = true;
      }
    } else if (isGroupAlive(pid)) {
      reapedLeftovers = true;
      ladder = await climbStopLadder({
        pgid: pid,
        signals: request.stopSignals,
        graceMs: request.graceMs,
        force: request.force,
        onSignal: (sent) => tell(sent, 'leftovers'),
      });
    }
    const durationMs = Math.max(0, Math.round(at - startedMs));
    return {
      pid,
      startedAt,
      endedAt: new Date(startedAt.getTime() + durationMs),
      durationMs,
      exitCode: ended.code,
      signal: ended.signal,
      stopReason,
      signalsSent: ladder.signals,
      killedAfterMs: stopReason === null ? null : ladder.lastAfterMs,
      reapedLeftovers,
      spawnError: null,
    };
  } finally {
    request.launcher.ended(child);
  }
}

/** The outcome of a process that never ran: `error` says why (null: not known yet). */
export function failedToStart(
  startedAt: Date,
  error: NodeJS.ErrnoException | null,
): ProcessOutcome {
  return {
    pid: null,
    startedAt,
    endedAt: startedAt,
    durationMs: 0,
    exitCode: null,
    signal: null,
    stopReason: null,
    signalsSent: [],
    killedAfterMs: null,
    reapedLeftovers: false,
    spawnError: error,
  };
}
