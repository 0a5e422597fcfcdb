// What an agent adapter is: how to invoke one agent CLI and how to read what it did.
import type { TokenUsage } from '../model/outcome.js';
import type { AgentEvent } from './events.js';

/** The agents a phase can run. */
export const AGENT_NAMES = ['codex', 'claude', 'gemini', 'command'] as const;

/** The name of an agent. */
export type AgentName = (typeof AGENT_NAMES)[number];

/** The settings of one phase that an adapter turns into an invocation. */
export interface AgentRequest {
  readonly phaseId: string;
  /** The rendered prompt; null for command phases. */
  readonly prompt: string | null;
  /** A shell line (command phases). */
  readonly command: string | null;
  /** A program and its arguments (command phases). */
  readonly argv: readonly string[] | null;
  readonly model: string | null;
  readonly profile: string | null;
  readonly sandbox: string | null;
  readonly permissionMode: string | null;
  readonly approvalMode: string | null;
  readonly allowedTools: readonly string[];
  readonly maxTurns: number | null;
  /** Whether the agent may trust the working folder for this run (Gemini's folder trust). */
  readonly trust: boolean;
  /** Where the phase's log and side files go. */
  readonly logDir: string;
  /** True when the phase runs in its own git worktree (a fresh directory the agent has not seen). */
  readonly isolated?: boolean;
  /** Directories outside its cwd the agent must be able to read (an agent judge's patches):
   * gemini's and claude's file tools read only inside their workspace directories. */
  readonly readDirs?: readonly string[];
}

/** What the installed CLI offers, read from its `--help` at preflight. */
export interface AgentCapabilities {
  /** Every long flag its help lists, without the dashes. */
  readonly flags: ReadonlySet<string>;
  /** The choices its help lists for each flag that has them. */
  readonly choices: ReadonlyMap<string, readonly string[]>;
}

/** How to run the agent: argv without a shell, the prompt on stdin, the stop ladder. */
export interface AgentInvocation {
  readonly argv: readonly [string, ...string[]] | null;
  readonly command: string | null;
  readonly input: string | null;
  readonly stopSignals: readonly NodeJS.Signals[];
  /** Side files the agent writes (e.g. codex's last-message file). */
  readonly lastMessageFile: string | null;
  /** Variables the agent needs in its environment (e.g. GEMINI_CLI_TRUST_WORKSPACE). */
  readonly env?: Readonly<Record<string, string>>;
}

/** A tool use the agent's permissions refused. */
export interface PermissionDenial {
  readonly tool: string;
  /** The file it would have written, when it was a write. */
  readonly path: string | null;
  /** The command it would have run, when it was a shell command. */
  readonly command: string | null;
}

/** What the agent's event stream says about the run. */
export interface AgentReport {
  /** False when the stream shows a failure the exit code may hide. */
  readonly ok: boolean;
  readonly reason: string | null;
  readonly sessionId: string | null;
  readonly finalMessage: string | null;
  /** Tokens in the one meaning of TokenUsage; null when the stream gave none. */
  readonly usage: TokenUsage | null;
  readonly permissionDenials: readonly PermissionDenial[];
}

/** Reads an agent's event stream one event at a time, while it runs or afterwards. */
export interface StreamReader {
  /** Takes one event; returns its readable line, or null for events not worth a line. */
  take(event: AgentEvent): string | null;
  /** The tokens used so far; null while the stream has said nothing about them. */
  usage(): TokenUsage | null;
}

/** One agent CLI. */
export interface AgentAdapter {
  readonly name: AgentName;
  /** The executable looked up on PATH; null for plain commands. */
  readonly binary: string | null;
  /** How to install it, for the error when it is missing. */
  readonly install: string | null;
  /** The flag of the installed CLI whose choices a mode setting must be one of, by setting. */
  readonly modeFlags: Readonly<
    Partial<Record<'sandbox' | 'permissionMode' | 'approvalMode', string>>
  >;
  /** Builds the invocation of one phase; `capabilities` are null before preflight (dry run). */
  build(request: AgentRequest, capabilities: AgentCapabilities | null): AgentInvocation;
  /** A fresh reader of this agent's event stream. */
  reader(): StreamReader;
  /** Reads the phase's log (and side files) after its process ended with `exitCode`. */
  interpret(
    logPath: string,
    exitCode: number | null,
    invocation: AgentInvocation,
  ): Promise<AgentReport>;
}

/** The invocation of an agent that reads its prompt on stdin and has no side files. */
export function stdinInvocation(
  argv: readonly [string, ...string[]],
  prompt: string | null,
  stopSignals: readonly NodeJS.Signals[],
): AgentInvocation {
  return { argv, command: null, input: prompt ?? '', stopSignals, lastMessageFile: null };
}

/** A reader for streams that say nothing readable (plain commands). */
export function silentReader(): StreamReader {
  return { take: () => null, usage: () => null };
}

/** A report with nothing known, to fill in. */
export const EMPTY_REPORT: AgentReport = {
  ok: true,
  reason: null,
  sessionId: null,
  finalMessage: null,
  usage: null,
  permissionDenials: [],
};
