// What coordinator and workers say to each other through Redis: the job payload (versioned),
// the names of the keys and streams of a run, and the entries of a job's stream.
import type { StopReason } from '../model/outcome.js';
import type { WorkspacePayload } from './workspace-protocol.js';

/** The payload version this parex writes; a worker refuses a newer one. */
export const PROTOCOL_VERSION = 5;
/** BullMQ's key prefix for the pool's queues. */
export const QUEUE_PREFIX = 'parex';
/** The queue of jobs that name no tag, served by every worker. */
export const DEFAULT_TAG = 'default';
/** The pub/sub channel on which coordinators announce cancels. */
export const CANCEL_CHANNEL = 'parex-cancel';
/** Largest log chunk in one stream entry. */
export const CHUNK_BYTES = 64 * 1024;

/** One file sent along with a job or brought back from it. */
export interface FilePayload {
  /** Relative to the job's working directory. */
  readonly path: string;
  readonly mode: number;
  /** The content, base64. */
  readonly data: string;
}

/** A side path parex itself put in a job's argv or env (version 3) or stdin (version 4): named
 * relative to the attempt's side directory, which the worker makes in its own job area
 * (src/pool/side-files.ts). */
export interface SidePayload {
  /** A plain name inside the side directory. */
  readonly path: string;
  /** 'file': the job writes it and it comes back; 'home': a per-job agent home, seeded on the
   * worker from the worker's own configuration; 'inbound' (version 4): the job reads it, and
   * `data` is its content, which the worker writes before the job starts; 'dir' (version 5): the
   * side directory itself (path "."), where the inbound files are: the worker puts its own. */
  readonly kind: 'file' | 'home' | 'inbound' | 'dir';
  readonly agent?: string;
  /** The argv elements that are this path (given as `path`; the worker puts its own there). */
  readonly argv: readonly number[];
  /** The env variables whose value is this path. */
  readonly env: readonly string[];
  /** Byte offsets in the job's stdin where `path` stands for it (version 4; a judge's prompt
   * names the candidates' patches): the worker puts its own path there. */
  readonly input?: readonly number[];
  /** An inbound file's content, base64, and its mode (version 4). */
  readonly data?: string;
  readonly mode?: number;
}

/** A job as a worker receives it: no value of the coordinator's environment unless passed. */
export interface JobPayload {
  readonly v: number;
  readonly run: string;
  readonly name: string;
  readonly attempt: number;
  readonly coordinator: { readonly host: string; readonly pid: number };
  readonly argv: readonly [string, ...string[]];
  /** stdin, base64; null for /dev/null. */
  readonly input: string | null;
  /** The job's declared env: and the variables --pass-env names; the worker adds its own. */
  readonly env: Readonly<Record<string, string>>;
  /** The job's directory relative to the coordinator's; '' for the worker's --workdir. */
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly idleMs: number;
  readonly graceMs: number;
  readonly stopSignals: readonly NodeJS.Signals[];
  readonly inputs: readonly FilePayload[];
  readonly outputs: readonly string[];
  /** `argv` as the coordinator shows it, its secrets hidden (`***`) as in its manifest: what the
   * worker prints of the command, since the coordinator's secrets need not be on the worker. */
  readonly shownArgv?: readonly string[];
  /** The run's --secret-env patterns: the worker hides the values they name in what it prints. */
  readonly secretPatterns?: readonly string[];
  /** The side files parex names in argv and env (version 3); absent when none. */
  readonly side?: readonly SidePayload[];
  /** Set for an isolated job (version 2): its worktree is made from git objects on the worker. */
  readonly workspace?: WorkspacePayload;
}

/** How a job's process ended, as a worker reports it. */
export interface RemoteOutcome {
  readonly pid: number | null;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly durationMs: number;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stopReason: StopReason | null;
  readonly signalsSent: readonly NodeJS.Signals[];
  readonly reapedLeftovers: boolean;
  /** What the worker's escapee sweep stopped of the job outside its process group, when told
   * with the end (workers before the `swept` entry; absent from older ones: nothing known). */
  readonly swept?: { readonly count: number; readonly signals: readonly NodeJS.Signals[] };
  /** Set instead of `swept` when the sweep's result follows as its own `swept` entry: within
   * this many ms of the end (the worker's bound), unless the worker is lost. */
  readonly sweptWithinMs?: number;
  readonly spawnError: { code?: string; syscall?: string; path?: string; message: string } | null;
  /** Bytes of log the worker sent, to check the coordinator's copy. */
  readonly logBytes: number;
  /** Set when the worker did not run the job to its end: what it did instead, in words. */
  readonly refused?: string;
  /** Set with `refused` when the job never started (its run was over): nothing ran. */
  readonly notStarted?: boolean;
  /** Set when the worker stopped the job to shut down: the job should run elsewhere. */
  readonly handedBack?: string;
  /** Set when the job's outputs could not be brought back (too large, unreadable). */
  readonly outputsError?: string;
  /** An isolated job's commit (its bundle sent before the end), its failed set-up, or why its
   * work could not be committed and sent. */
  readonly commit?: string;
  readonly setupFailed?: string;
  readonly workspaceError?: string;
}

/** The BullMQ job id of one attempt (ids may not contain ':'). */
export function bullJobId(run: string, name: string, attempt: number): string {
  return `${run}.${name}.${attempt}`;
}

/** The Redis keys of one run; `{run}` keeps them in one cluster slot. */
export function runKeys(run: string) {
  const base = `parex-run:{${run}}`;
  return {
    /** Refreshed by the coordinator while it lives (TTL 10 s). */
    alive: `${base}:alive`,
    /** 'cancel' or 'force' once the coordinator stops the whole run. */
    cancel: `${base}:cancel`,
    /** Workers announce each start here. */
    events: `${base}:events`,
    /** One attempt's cancel ('cancel', 'force', or a JobStopReason). */
    jobCancel: (name: string, attempt: number) => `${base}:cancel:${name}.${attempt}`,
    /** One attempt's log chunks, signals, files and end. */
    jobStream: (name: string, attempt: number) => `${base}:log:${name}.${attempt}`,
    /** The bundle of an isolated attempt's start, from the coordinator to the worker. */
    jobBundle: (name: string, attempt: number) => `${base}:bundle:${name}.${attempt}`,
  };
}

/** A cancel as published on CANCEL_CHANNEL. */
export interface CancelMessage {
  readonly run: string;
  /** `name.attempt`, or absent for every job of the run. */
  readonly job?: string;
  readonly force: boolean;
  /** Set when one job is stopped for a reason of its own (its run's budget is spent). */
  readonly why?: JobStopReason;
}

/** Why a coordinator stops one job of a running run: the value of its cancel key, too. */
export type JobStopReason = Extract<StopReason, 'budget'>;

/** The refusal of a payload this worker (speaking version `speaks`) cannot run, or null when it can. */
export function refusal(data: unknown, speaks = PROTOCOL_VERSION): string | null {
  const payload = data as Partial<JobPayload> | null;
  if (payload === null || typeof payload !== 'object' || typeof payload.v !== 'number') {
    return 'the job is not a parex job payload (no protocol version)';
  }
  if (payload.v > speaks) {
    return `the job uses pool protocol version ${payload.v}, newer than this worker's ${speaks}: upgrade parex on the worker to the coordinator's version`;
  }
  if (!Array.isArray(payload.argv) || typeof payload.run !== 'string') {
    return 'the job payload lacks its command or run id';
  }
  return null;
}
