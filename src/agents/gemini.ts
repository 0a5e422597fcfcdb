// Gemini CLI: `gemini [--approval-mode MODE] -o stream-json -p ...`, the prompt on stdin.
// Gemini exits 0 when signalled, so a run parex stopped is judged by parex, not by the exit code.
import { pick, pickNumber, pickString, readEvents } from './events.js';
import { type AgentAdapter, EMPTY_REPORT, stdinInvocation } from './types.js';

/** The -p text; Gemini puts what it reads on stdin (the prompt) before it. */
export const GEMINI_PROMPT_FLAG_TEXT = 'Carry out the task given above.';

/** Runs phases with `gemini -p`. */
export const geminiAdapter: AgentAdapter = {
  name: 'gemini',
  binary: 'gemini',
  install: 'npm install -g @google/gemini-cli',
  build: (request) => {
    const argv: [string, ...string[]] = ['gemini'];
    if (request.approvalMode) argv.push('--approval-mode', request.approvalMode);
    if (request.model) argv.push('-m', request.model);
    // A new worktree is an untrusted folder, where headless gemini exits 55.
    if (request.isolated === true) argv.push('--skip-trust');
    argv.push('-o', 'stream-json', '-p', GEMINI_PROMPT_FLAG_TEXT);
    return stdinInvocation(argv, request.prompt, ['SIGTERM', 'SIGKILL']);
  },
  interpret: async (logPath, exitCode) => {
    let sessionId: string | null = null;
    let result: Record<string, unknown> | null = null;
    let message = '';
    let error: string | null = null;
    for await (const event of readEvents(logPath)) {
      if (event.type === 'init') sessionId = pickString(event, 'session_id') ?? sessionId;
      if (event.type === 'message' && pick(event, 'role') === 'assistant') {
        const content = pickString(event, 'content') ?? '';
        message = event.delta === true ? message + content : content;
      }
      if (event.type === 'error') error = pickString(event, 'message') ?? 'error';
      if (event.type === 'result') result = event;
    }
    const status = pickString(result, 'status') ?? null;
    const ok = exitCode === 0 && status === 'success';
    return {
      ...EMPTY_REPORT,
      ok,
      reason: ok ? null : geminiReason(exitCode, result, status, error),
      sessionId,
      finalMessage: message === '' ? null : message,
      inputTokens: pickNumber(result, 'stats', 'input_tokens') ?? null,
      outputTokens: pickNumber(result, 'stats', 'output_tokens') ?? null,
      cachedInputTokens: pickNumber(result, 'stats', 'cached') ?? null,
    };
  },
};

function geminiReason(
  exitCode: number | null,
  result: Record<string, unknown> | null,
  status: string | null,
  error: string | null,
): string {
  if (result === null)
    return `gemini exited ${exitCode} without a result event${error ? `: ${error}` : ''}`;
  if (status !== 'success') {
    return `gemini reported ${status}: ${pickString(result, 'error', 'message') ?? error ?? 'no detail'}`;
  }
  return `gemini exited ${exitCode}`;
}
