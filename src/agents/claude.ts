// Claude Code: `claude -p --output-format stream-json --verbose`, the prompt on stdin.
// Success needs exit 0 AND a final result event with is_error false: Claude can exit 0 on an API error.
import { ClaudeStream } from './claude-stream.js';
import { type AgentEvent, pick, pickNumber, pickString, readEvents } from './events.js';
import { failureReason } from './reasons.js';
import { type AgentAdapter, stdinInvocation } from './types.js';

/** Runs phases with `claude -p`. */
export const claudeAdapter: AgentAdapter = {
  name: 'claude',
  binary: 'claude',
  install: 'npm install -g @anthropic-ai/claude-code',
  modeFlags: { permissionMode: 'permission-mode' },
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
    // Read outside the working directories (the cwd and these) needs a permission -p cannot ask.
    for (const dir of request.readDirs ?? []) argv.push('--add-dir', dir);
    return stdinInvocation(argv, request.prompt, ['SIGTERM', 'SIGKILL']);
  },
  reader: () => new ClaudeStream(),
  interpret: async (logPath, exitCode) => {
    const stream = new ClaudeStream();
    for await (const event of readEvents(logPath)) stream.take(event);
    const { result } = stream;
    const subtype = pickString(result, 'subtype') ?? null;
    const ok =
      exitCode === 0 && result !== null && result.is_error !== true && subtype === 'success';
    return {
      ok,
      reason: ok ? null : failureReason('claude', exitCode, resultWords(result), logPath),
      sessionId: stream.sessionId,
      finalMessage: pickString(result, 'result') ?? null,
      usage: stream.usage(),
      permissionDenials: stream.denials(),
    };
  },
};

/** What the result message says went wrong; null when there is none or it says nothing. */
function resultWords(result: AgentEvent | null): string | null {
  if (result === null) return null;
  const subtype = pickString(result, 'subtype') ?? '?';
  const text = (pickString(result, 'result') ?? '').slice(0, 300);
  const errors = pick(result, 'errors');
  const first = Array.isArray(errors) && typeof errors[0] === 'string' ? errors[0] : null;
  const status = pickNumber(result, 'api_error_status');
  if (status !== undefined) return `claude API error ${status}: ${text || first || 'no detail'}`;
  if (subtype === 'error_max_turns') {
    return `claude reached its turn limit (error_max_turns after ${pickNumber(result, 'num_turns') ?? '?'} turns): raise max_turns`;
  }
  if (subtype === 'error_max_budget_usd') return 'claude reached its budget (error_max_budget_usd)';
  if (subtype === 'error_during_execution') {
    return `claude failed during execution: ${first ?? (text || 'no detail')}`;
  }
  if (result.is_error === true)
    return `claude reported an error (is_error: true, ${subtype}): ${text || first || 'no detail'}`;
  return null;
}
