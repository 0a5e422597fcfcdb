// Gemini CLI: `gemini [--approval-mode MODE] [--include-directories DIR] --skip-trust -o stream-json
// -p ...`, the prompt on stdin.
// Gemini exits 0 when signalled, so a run parex stopped is judged by parex, not by the exit code.
import { pickString, readEvents } from './events.js';
import { GeminiStream } from './gemini-stream.js';
import { failureReason } from './reasons.js';
import { type AgentAdapter, stdinInvocation } from './types.js';

/** The -p text; Gemini puts what it reads on stdin (the prompt) before it. */
export const GEMINI_PROMPT_FLAG_TEXT = 'Carry out the task given above.';

/** The variable that trusts the folder for one run, for versions without --skip-trust. */
export const GEMINI_TRUST_VARIABLE = 'GEMINI_CLI_TRUST_WORKSPACE';

/** Runs phases with `gemini -p`. */
export const geminiAdapter: AgentAdapter = {
  name: 'gemini',
  binary: 'gemini',
  install: 'npm install -g @google/gemini-cli',
  modeFlags: { approvalMode: 'approval-mode' },
  build: (request, capabilities) => {
    const argv: [string, ...string[]] = ['gemini'];
    if (request.approvalMode) argv.push('--approval-mode', request.approvalMode);
    if (request.model) argv.push('-m', request.model);
    // read_file reads only inside the workspace directories: the cwd and these.
    for (const dir of request.readDirs ?? []) argv.push('--include-directories', dir);
    // An untrusted folder is fatal in headless mode (exit 55) and forces approval mode default;
    // a new worktree is always such a folder, so isolated jobs are trusted whatever `trust` says.
    const trust = request.trust || request.isolated === true;
    const flag = trust && (capabilities === null || capabilities.flags.has('skip-trust'));
    if (flag) argv.push('--skip-trust');
    argv.push('-o', 'stream-json', '-p', GEMINI_PROMPT_FLAG_TEXT);
    const invocation = stdinInvocation(argv, request.prompt, ['SIGTERM', 'SIGKILL']);
    return trust && !flag
      ? { ...invocation, env: { [GEMINI_TRUST_VARIABLE]: 'true' } }
      : invocation;
  },
  reader: () => new GeminiStream(),
  interpret: async (logPath, exitCode) => {
    const stream = new GeminiStream();
    for await (const event of readEvents(logPath)) stream.take(event);
    const { result } = stream;
    const status = pickString(result, 'status') ?? null;
    const ok = exitCode === 0 && status === 'success';
    let said: string | null = null;
    if (result !== null && status !== 'success') {
      const type = pickString(result, 'error', 'type') ?? 'error';
      said = `gemini reported ${status} (${type}): ${pickString(result, 'error', 'message') ?? stream.error ?? 'no detail'}`;
    } else if (result === null && exitCode === 0) {
      said = 'gemini exited 0 without a result event (it exits 0 when signalled)';
    } else if (stream.error !== null) {
      said = `gemini reported: ${stream.error}`;
    }
    return {
      ok,
      reason: ok ? null : failureReason('gemini', exitCode, said, logPath),
      sessionId: stream.sessionId,
      finalMessage: stream.message === '' ? null : stream.message,
      usage: stream.usage(),
      permissionDenials: [],
    };
  },
};
