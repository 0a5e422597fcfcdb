// Codex CLI: `codex exec ... --json -o FILE -`, the prompt on stdin, SIGINT first when stopped.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { CodexStream } from './codex-stream.js';
import { readEvents } from './events.js';
import { failureReason } from './reasons.js';
import type { AgentAdapter } from './types.js';

/** Runs phases with `codex exec`. */
export const codexAdapter: AgentAdapter = {
  name: 'codex',
  binary: 'codex',
  install: 'npm install -g @openai/codex',
  modeFlags: { sandbox: 'sandbox' },
  build: (request) => {
    const lastMessageFile = path.join(request.logDir, `${request.phaseId}.last-message.md`);
    const argv: [string, ...string[]] = ['codex', 'exec'];
    if (request.profile) argv.push('--profile', request.profile);
    if (request.model) argv.push('-m', request.model);
    if (request.sandbox) argv.push('-s', request.sandbox);
    argv.push('--skip-git-repo-check', '--json', '-o', lastMessageFile, '-');
    return {
      argv,
      command: null,
      input: request.prompt ?? '',
      // On SIGINT codex ends the turn and still writes its final message.
      stopSignals: ['SIGINT', 'SIGTERM', 'SIGKILL'],
      lastMessageFile,
    };
  },
  reader: () => new CodexStream(),
  interpret: async (logPath, exitCode, invocation) => {
    const stream = new CodexStream();
    for await (const event of readEvents(logPath)) stream.take(event);
    const fromFile = await readOptional(invocation.lastMessageFile);
    const ok = exitCode === 0 && stream.completed && stream.failure === null;
    let reason: string | null = null;
    if (!ok) {
      const said = stream.failure === null ? null : `codex reported: ${stream.failure}`;
      reason =
        exitCode === 0 && said === null
          ? 'codex exited 0 without a turn.completed event'
          : failureReason('codex', exitCode, said, logPath);
    }
    return {
      ok,
      reason,
      sessionId: stream.sessionId,
      finalMessage: fromFile ?? stream.lastMessage,
      usage: stream.usage(),
      permissionDenials: stream.denials,
    };
  },
};

async function readOptional(file: string | null): Promise<string | null> {
  if (file === null) return null;
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}
