// Codex CLI: `codex exec ... --json -o FILE -`, the prompt on stdin, SIGINT first when stopped.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { pick, pickNumber, pickString, readEvents } from './events.js';
import { type AgentAdapter, type AgentReport, EMPTY_REPORT } from './types.js';

/** Runs phases with `codex exec`. */
export const codexAdapter: AgentAdapter = {
  name: 'codex',
  binary: 'codex',
  install: 'npm install -g @openai/codex',
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
  interpret: async (logPath, exitCode, invocation) => {
    let report: AgentReport = EMPTY_REPORT;
    let completed = false;
    let failure: string | null = null;
    let lastMessage: string | null = null;
    let input = 0;
    let output = 0;
    let cached = 0;
    for await (const event of readEvents(logPath)) {
      if (event.type === 'thread.started') {
        report = { ...report, sessionId: pickString(event, 'thread_id') ?? null };
      } else if (event.type === 'turn.completed') {
        completed = true;
        input += pickNumber(event, 'usage', 'input_tokens') ?? 0;
        output += pickNumber(event, 'usage', 'output_tokens') ?? 0;
        cached += pickNumber(event, 'usage', 'cached_input_tokens') ?? 0;
      } else if (event.type === 'turn.failed' || event.type === 'error') {
        failure =
          pickString(event, 'error', 'message') ?? pickString(event, 'message') ?? event.type;
      } else if (
        event.type === 'item.completed' &&
        pick(event, 'item', 'type') === 'agent_message'
      ) {
        lastMessage = pickString(event, 'item', 'text') ?? lastMessage;
      }
    }
    const fromFile = await readOptional(invocation.lastMessageFile);
    const ok = exitCode === 0 && completed && failure === null;
    return {
      ...report,
      ok,
      reason: ok ? null : codexReason(exitCode, completed, failure),
      finalMessage: fromFile ?? lastMessage,
      inputTokens: completed ? input : null,
      outputTokens: completed ? output : null,
      cachedInputTokens: completed ? cached : null,
    };
  },
};

function codexReason(exitCode: number | null, completed: boolean, failure: string | null): string {
  if (failure !== null) return `codex reported: ${failure}`;
  if (exitCode === 0 && !completed) return 'codex exited 0 without a turn.completed event';
  return `codex exited ${exitCode}`;
}

async function readOptional(file: string | null): Promise<string | null> {
  if (file === null) return null;
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}
