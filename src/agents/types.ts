// What an agent adapter is: how to invoke one agent CLI and how to read what it did.

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
  /** Where the phase's log and side files go. */
  readonly logDir: string;
  /** True when the phase runs in its own git worktree (a fresh directory the agent has not seen). */
  readonly isolated?: boolean;
}

/** How to run the agent: argv without a shell, the prompt on stdin, the stop ladder. */
export interface AgentInvocation {
  readonly argv: readonly [string, ...string[]] | null;
  readonly command: string | null;
  readonly input: string | null;
  readonly stopSignals: readonly NodeJS.Signals[];
  /** Side files the agent writes (e.g. codex's last-message file). */
  readonly lastMessageFile: string | null;
}

/** What the agent's event stream says about the run. */
export interface AgentReport {
  /** False when the stream shows a failure the exit code may hide. */
  readonly ok: boolean;
  readonly reason: string | null;
  readonly sessionId: string | null;
  readonly finalMessage: string | null;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly cachedInputTokens: number | null;
  readonly costUsd: number | null;
}

/** One agent CLI. */
export interface AgentAdapter {
  readonly name: AgentName;
  /** The executable looked up on PATH; null for plain commands. */
  readonly binary: string | null;
  /** How to install it, for the error when it is missing. */
  readonly install: string | null;
  /** Builds the invocation of one phase. */
  build(request: AgentRequest): AgentInvocation;
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

/** A report with nothing known, to fill in. */
export const EMPTY_REPORT: AgentReport = {
  ok: true,
  reason: null,
  sessionId: null,
  finalMessage: null,
  inputTokens: null,
  outputTokens: null,
  cachedInputTokens: null,
  costUsd: null,
};
