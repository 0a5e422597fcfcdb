// Plain commands: a shell line or an argv, judged by the exit code alone.
import { type AgentAdapter, EMPTY_REPORT, silentReader } from './types.js';

/** Runs phases that are commands, not agents. */
export const commandAdapter: AgentAdapter = {
  name: 'command',
  binary: null,
  install: null,
  modeFlags: {},
  build: (request) => ({
    argv: request.argv === null ? null : (request.argv as [string, ...string[]]),
    command: request.command,
    input: null,
    stopSignals: ['SIGTERM', 'SIGKILL'],
    lastMessageFile: null,
  }),
  reader: silentReader,
  interpret: async (_logPath, exitCode) => ({ ...EMPTY_REPORT, ok: exitCode === 0 }),
};
