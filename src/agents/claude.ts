// Claude Code: `claude -p --output-format stream-json --verbose`, the prompt on stdin.
// Success needs exit 0 AND a final result event with is_error false: Claude can exit 0 on an API error.
import { pickNumber, pickString, readEvents } from './events.js';
import { type AgentAdapter, EMPTY_REPORT, stdinInvocation } from './types.js';

/** Runs phases with `claude -p`. */
export const claudeAdapter: AgentAdapter = {
  name: 'claude',
  binary: 'claude',
  install: 'npm install -g @anthropic-ai/claude-code',
  build: (request) => {
    const argv: [string, ...string[]] = [
      'claude',
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
    ];
    if (request.model) argv.push('--model', request.model);
    if (request.permissionMode) argv.push('--permission-mode', request.permissionMode);
    if (request.allowedTools.length > 0)
      argv.push('--allowedTools', request.allowedTools.join(','));
    if (request.maxTurns !== null) argv.push('--max-turns', String(request.maxTurns));
    return stdinInvocation(argv, request.prompt, ['SIGTERM', 'SIGKILL']);
  },
  interpret: async (logPath, exitCode) => {
    let sessionId: string | null = null;
    let result: Record<string, unknown> | null = null;
    for await (const event of readEvents(logPath)) {
      if (event.type === 'system') sessionId = pickString(event, 'session_id') ?? sessionId;
      if (event.type === 'result') result = event;
    }
    const isError = result?.is_error === true;
    const subtype = pickString(result, 'subtype') ?? null;
    const ok = exitCode === 0 && result !== null && !isError && subtype === 'success';
    const cached =
      (pickNumber(result, 'usage', 'cache_read_input_tokens') ?? 0) +
      (pickNumber(result, 'usage', 'cache_creation_input_tokens') ?? 0);
    return {
      ...EMPTY_REPORT,
      ok,
      reason: ok ? null : claudeReason(exitCode, result, subtype),
      sessionId: pickString(result, 'session_id') ?? sessionId,
      finalMessage: pickString(result, 'result') ?? null,
      inputTokens: pickNumber(result, 'usage', 'input_tokens') ?? null,
      outputTokens: pickNumber(result, 'usage', 'output_tokens') ?? null,
      cachedInputTokens: result === null ? null : cached,
      costUsd: pickNumber(result, 'total_cost_usd') ?? null,
    };
  },
};

function claudeReason(
  exitCode: number | null,
  result: Record<string, unknown> | null,
  subtype: string | null,
): string {
  if (result === null) return `claude exited ${exitCode} without a result event`;
  if (result.is_error === true) {
    const detail = pickString(result, 'result') ?? subtype ?? 'error';
    return `claude reported an error (is_error: true, ${subtype}): ${detail.slice(0, 200)}`;
  }
  if (subtype !== 'success') return `claude ended with ${subtype}`;
  return `claude exited ${exitCode}`;
}
