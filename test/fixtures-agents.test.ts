// Proves that the fake agent CLIs in test/fixtures/bin behave as their README.md documents.
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { tempDir } from './helpers/tmp.js';

const BIN = fileURLToPath(new URL('../../test/fixtures/bin/', import.meta.url));

type Agent = 'codex' | 'claude' | 'gemini';
type Json = Record<string, unknown>;

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface Started {
  readonly child: ChildProcessWithoutNullStreams;
  readonly done: Promise<Finished>;
  /** Resolves once `text` has appeared on the stream (rejects after `limitMs`). */
  waitFor(stream: 'stdout' | 'stderr', text: string, limitMs?: number): Promise<string>;
}

interface RunOptions {
  readonly cwd: string;
  /** Written to stdin, which is then closed. Without it stdin is /dev/null unless `openStdin`. */
  readonly input?: string | Buffer;
  /** Give the fake a stdin pipe that the test never closes. */
  readonly openStdin?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly limitMs?: number;
}

/** Environment of a fake: the test runner's, minus any FAKE_* setting that could leak in. */
function fakeEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('FAKE_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Starts a fake in its own process group (so that a test can signal or kill the group). */
function start(agent: Agent, args: readonly string[], options: RunOptions): Started {
  const piped = options.input !== undefined || options.openStdin === true;
  const child = spawn(path.join(BIN, agent), args, {
    cwd: options.cwd,
    env: fakeEnv(options.env),
    stdio: [piped ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    detached: true,
  }) as ChildProcessWithoutNullStreams;
  const seen = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    seen.stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    seen.stderr += chunk;
  });
  if (options.input !== undefined) child.stdin.end(options.input);
  const limit = setTimeout(() => killGroup(child), options.limitMs ?? 10_000);
  const done = new Promise<Finished>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, stdout: seen.stdout, stderr: seen.stderr });
    });
  });
  const waitFor = (stream: 'stdout' | 'stderr', text: string, limitMs = 5000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        if (seen[stream].includes(text)) {
          clearInterval(poll);
          clearTimeout(timer);
          resolve(seen[stream]);
        }
      };
      const poll = setInterval(check, 10);
      const timer = setTimeout(() => {
        clearInterval(poll);
        reject(new Error(`"${text}" not seen on ${stream}: ${seen[stream]}`));
      }, limitMs);
      check();
    });
  return { child, done, waitFor };
}

function run(agent: Agent, args: readonly string[], options: RunOptions): Promise<Finished> {
  return start(agent, args, options).done;
}

function killGroup(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals = 'SIGKILL') {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function jsonLines(text: string): Json[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Json);
}

/** `value` as an object, failing the test when it is not one. */
function obj(value: unknown): Json {
  assert.ok(value !== null && typeof value === 'object', `not an object: ${String(value)}`);
  return value as Json;
}

function logLines(file: string): Json[] {
  return jsonLines(readFileSync(file, 'utf8'));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const CODEX = ['exec', '--json', '--skip-git-repo-check'];
const CLAUDE_STREAM = ['-p', '--output-format', 'stream-json', '--verbose'];
const GEMINI_STREAM = ['-o', 'stream-json', '--approval-mode', 'auto_edit'];

test('--version prints the versions of the real CLIs', async (t) => {
  const cwd = tempDir(t);
  assert.equal((await run('codex', ['--version'], { cwd })).stdout, 'codex-cli 0.169.0\n');
  assert.equal((await run('claude', ['--version'], { cwd })).stdout, '2.1.332 (Claude Code)\n');
  assert.equal((await run('gemini', ['--version'], { cwd })).stdout, '0.61.0\n');
});

test('codex rejects unknown flags the way clap does: usage on stderr, exit 2', async (t) => {
  const cwd = tempDir(t);
  for (const flag of ['--prompt', '--full-auto']) {
    const result = await run('codex', ['exec', flag, 'do it'], { cwd });
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, new RegExp(`^error: unexpected argument '${flag}' found\\n`));
    assert.match(result.stderr, /Usage: codex exec \[OPTIONS\] \[PROMPT\]/);
  }
  const sandbox = await run('codex', ['exec', '-s', 'everything', 'x'], { cwd });
  assert.equal(sandbox.code, 2);
  assert.match(sandbox.stderr, /invalid value 'everything' for '--sandbox <SANDBOX_MODE>'/);
  const outsideGit = await run('codex', ['exec', 'x'], { cwd });
  assert.equal(outsideGit.code, 1);
  // stdin is /dev/null, not a terminal: codex still "reads additional input" (EOF at once).
  assert.equal(
    outsideGit.stderr,
    'Reading additional input from stdin...\nNot inside a trusted directory and --skip-git-repo-check was not specified.\n',
  );
  mkdirSync(path.join(cwd, '.git'));
  assert.equal((await run('codex', ['exec', 'x'], { cwd })).code, 0);
});

test('claude rejects like commander and checks its input the way print.ts does (exit 1)', async (t) => {
  const cwd = tempDir(t);
  const unknown = await run('claude', ['-p', '--prompt', 'x'], { cwd });
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, "error: unknown option '--prompt'\n");
  const noVerbose = await run('claude', ['-p', '--output-format', 'stream-json', 'x'], { cwd });
  assert.equal(noVerbose.code, 1);
  assert.equal(
    noVerbose.stderr,
    'Error: When using --print, --output-format=stream-json requires --verbose\n',
  );
  // --allowedTools is variadic: the prompt after it becomes one more tool name.
  const swallowed = await run('claude', ['-p', '--allowedTools', 'Read', 'the prompt'], { cwd });
  assert.equal(swallowed.code, 1);
  assert.match(swallowed.stderr, /^Error: Input must be provided either through stdin/);
  const badChoice = await run('claude', ['-p', '--permission-mode', 'yes', 'x'], { cwd });
  assert.equal(badChoice.code, 1);
  assert.match(badChoice.stderr, /argument 'yes' is invalid\. Allowed choices are/);
});

test('gemini rejects like yargs strict mode (exit 1)', async (t) => {
  const cwd = tempDir(t);
  const unknown = await run('gemini', ['-p', 'x', '--full-auto'], { cwd });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^Unknown arguments: full-auto, fullAuto\n/);
  const short = await run('gemini', ['-p', 'x', '-q'], { cwd });
  assert.match(short.stderr, /^Unknown argument: q\n/);
  const both = await run('gemini', ['-p', 'x', '-y', '--approval-mode', 'yolo'], { cwd });
  assert.equal(both.code, 1);
  assert.match(both.stderr, /^Cannot use both --yolo \(-y\) and --approval-mode together/);
});

test('codex reads the prompt from stdin for `-` and when PROMPT is missing', async (t) => {
  const cwd = tempDir(t);
  const dash = await run('codex', [...CODEX, '-'], { cwd, input: '@fake say via dash\n' });
  assert.equal(dash.code, 0);
  const message = jsonLines(dash.stdout).find(
    (e) => (e.item as Json | undefined)?.type === 'agent_message',
  );
  assert.equal(obj(message?.item).text, 'via dash');
  const missing = await run('codex', CODEX, { cwd, input: '@fake say piped' });
  assert.equal(missing.code, 0);
  assert.match(missing.stderr, /^Reading prompt from stdin\.\.\.\n/);
  const empty = await run('codex', [...CODEX, '-'], { cwd, input: '  \n' });
  assert.equal(empty.code, 1);
  assert.equal(empty.stderr, 'No prompt provided via stdin.\n');
});

test('a 1 MB prompt on stdin reaches every agent intact', async (t) => {
  const cwd = tempDir(t);
  const log = path.join(cwd, 'invocations.jsonl');
  const big = `${'x'.repeat(1024 * 1024)}\n@fake say big prompt received\n`;
  const cases: [Agent, string[], string][] = [
    ['codex', [...CODEX, '-'], big],
    ['claude', ['-p', '--output-format', 'json'], big],
    ['gemini', ['-o', 'json'], `${big}\n\n`],
  ];
  for (const [agent, args, expected] of cases) {
    const result = await run(agent, args, { cwd, input: big, env: { FAKE_AGENT_LOG: log } });
    assert.equal(result.code, 0, `${agent}: ${result.stderr}`);
    assert.match(result.stdout, /big prompt received/);
    const entry = logLines(log).at(-1);
    assert.equal(entry?.agent, agent);
    assert.equal(entry?.prompt_length, expected.length);
    assert.equal(entry?.prompt_sha256, createHash('sha256').update(expected).digest('hex'));
    assert.equal(entry?.prompt_omitted, true);
    assert.equal(entry?.stdin, 'pipe');
  }
});

test('codex -o writes the final message (relative to its own cwd, not -C)', async (t) => {
  const cwd = tempDir(t);
  mkdirSync(path.join(cwd, 'repo'));
  const result = await run(
    'codex',
    [
      ...CODEX,
      '-C',
      'repo',
      '-s',
      'workspace-write',
      '-o',
      'last.md',
      '--',
      '@fake write notes.md\nhello\n@fake end\n@fake say the summary',
    ],
    { cwd },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.equal(readFileSync(path.join(cwd, 'last.md'), 'utf8'), 'the summary');
  assert.equal(readFileSync(path.join(cwd, 'repo', 'notes.md'), 'utf8'), 'hello\n');
  // Human mode: progress on stderr, only the final message on stdout.
  const human = await run('codex', ['exec', '--skip-git-repo-check', '@fake say plain'], { cwd });
  assert.equal(human.stdout, 'plain\n');
  assert.match(human.stderr, /\nOpenAI Codex v0\.169\.0 \(research preview\)\n/);
});

test('each JSON mode emits parseable events that end with the terminal event', async (t) => {
  const cwd = tempDir(t);
  const prompt = '@fake write out/a.txt\nA\n@fake end\n@fake say finished';

  const codex = jsonLines(
    (await run('codex', [...CODEX, '-s', 'workspace-write', prompt], { cwd })).stdout,
  );
  assert.equal(codex[0]?.type, 'thread.started');
  assert.match(
    String(codex[0]?.thread_id),
    /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  assert.equal(codex[1]?.type, 'turn.started');
  const change = codex.find(
    (e) => e.type === 'item.completed' && (e.item as Json).type === 'file_change',
  );
  assert.deepEqual(obj(change?.item).changes, [{ path: path.join(cwd, 'out/a.txt'), kind: 'add' }]);
  assert.equal(obj(change?.item).status, 'completed');
  assert.deepEqual(codex.at(-2)?.item, { id: 'item_2', type: 'agent_message', text: 'finished' });
  assert.equal(codex.at(-1)?.type, 'turn.completed');
  assert.deepEqual(Object.keys(codex.at(-1)?.usage as Json), [
    'input_tokens',
    'cached_input_tokens',
    'output_tokens',
  ]);

  const claudeArgs = [...CLAUDE_STREAM, '--permission-mode', 'acceptEdits', prompt];
  const claude = jsonLines((await run('claude', claudeArgs, { cwd })).stdout);
  assert.equal(claude[0]?.type, 'system');
  assert.equal(claude[0]?.subtype, 'init');
  const sessionId = claude[0]?.session_id;
  assert.match(String(sessionId), /^[0-9a-f-]{36}$/);
  assert.ok(claude.some((m) => m.type === 'assistant'));
  assert.ok(claude.some((m) => m.type === 'user'));
  const result = claude.at(-1);
  assert.equal(result?.type, 'result');
  assert.equal(result?.subtype, 'success');
  assert.equal(result?.is_error, false);
  assert.equal(result?.result, 'finished');
  assert.equal(result?.session_id, sessionId);
  assert.equal(result?.num_turns, 2);
  for (const key of [
    'total_cost_usd',
    'usage',
    'duration_ms',
    'modelUsage',
    'permission_denials',
  ]) {
    assert.ok(result && key in result, key);
  }
  const claudeJson = await run('claude', ['-p', '--output-format', 'json', '@fake say one'], {
    cwd,
  });
  assert.equal(JSON.parse(claudeJson.stdout).result, 'one');
  const claudeText = await run('claude', ['-p', '@fake say text'], { cwd });
  assert.equal(claudeText.stdout, 'text\n');

  const gemini = jsonLines((await run('gemini', [...GEMINI_STREAM, '-p', prompt], { cwd })).stdout);
  assert.equal(gemini[0]?.type, 'init');
  assert.ok(gemini[0]?.session_id && gemini[0]?.model);
  assert.deepEqual(
    gemini.map((e) => e.type),
    ['init', 'message', 'tool_use', 'tool_result', 'message', 'result'],
  );
  assert.equal(gemini.at(-1)?.status, 'success');
  assert.equal(obj(gemini.at(-1)?.stats).tool_calls, 1);
  const geminiJson = await run('gemini', ['-o', 'json', '-p', '@fake say pretty'], { cwd });
  assert.equal(JSON.parse(geminiJson.stdout).response, 'pretty');
});

test('@fake fail makes each agent report a failed run', async (t) => {
  const cwd = tempDir(t);
  const codex = await run('codex', [...CODEX, '@fake fail out of credits'], { cwd });
  assert.equal(codex.code, 1);
  assert.deepEqual(jsonLines(codex.stdout).at(-1), {
    type: 'turn.failed',
    error: { message: 'out of credits' },
  });

  const claude = await run('claude', [...CLAUDE_STREAM, '@fake fail tool crashed'], { cwd });
  assert.equal(claude.code, 1);
  const result = jsonLines(claude.stdout).at(-1);
  assert.equal(result?.subtype, 'error_during_execution');
  assert.equal(result?.is_error, true);
  assert.deepEqual(result?.errors, ['tool crashed']);

  const gemini = await run('gemini', [...GEMINI_STREAM, '-p', '@fake fail quota'], { cwd });
  assert.equal(gemini.code, 1);
  const events = jsonLines(gemini.stdout);
  assert.equal(events.at(-2)?.type, 'error');
  assert.equal(events.at(-1)?.type, 'result');
  assert.equal(events.at(-1)?.status, 'error');
});

test('@fake api-error: claude says subtype success, is_error true and exits 0', async (t) => {
  const cwd = tempDir(t);
  const result = await run('claude', ['-p', '--output-format', 'json', '@fake api-error'], { cwd });
  assert.equal(result.code, 0);
  const message = JSON.parse(result.stdout);
  assert.equal(message.subtype, 'success');
  assert.equal(message.is_error, true);
  assert.equal(message.api_error_status, 429);
  const codex = await run('codex', [...CODEX, '@fake api-error'], { cwd });
  assert.equal(codex.code, 97, 'api-error is claude-only: a bad directive elsewhere');
});

test('@fake exit N crashes with no terminal event; @fake exit-code N only changes the code', async (t) => {
  const cwd = tempDir(t);
  const crash = await run('codex', [...CODEX, '@fake exit 3'], { cwd });
  assert.equal(crash.code, 3);
  assert.ok(!jsonLines(crash.stdout).some((e) => String(e.type).startsWith('turn.completed')));
  const claude = await run('claude', [...CLAUDE_STREAM, '@fake exit 143'], { cwd });
  assert.equal(claude.code, 143);
  assert.ok(!jsonLines(claude.stdout).some((m) => m.type === 'result'));
  const coded = await run('gemini', [...GEMINI_STREAM, '-p', '@fake exit-code 5'], { cwd });
  assert.equal(coded.code, 5);
  assert.equal(jsonLines(coded.stdout).at(-1)?.status, 'success');
});

test('signals: codex SIGINT interrupts (exit 1, -o written), SIGTERM kills it', async (t) => {
  const cwd = tempDir(t);
  const interrupted = start('codex', [...CODEX, '-o', 'last.md', '@fake hang\n@fake say partial'], {
    cwd,
  });
  await interrupted.waitFor('stdout', '"turn.started"');
  interrupted.child.kill('SIGINT');
  const result = await interrupted.done;
  assert.equal(result.code, 1);
  assert.equal(readFileSync(path.join(cwd, 'last.md'), 'utf8'), 'partial');
  const types = jsonLines(result.stdout).map((e) => e.type);
  assert.ok(!types.includes('turn.completed') && !types.includes('turn.failed'));

  const terminated = start('codex', [...CODEX, '-o', 'term.md', '@fake hang'], { cwd });
  await terminated.waitFor('stdout', '"turn.started"');
  terminated.child.kill('SIGTERM');
  const killed = await terminated.done;
  assert.equal(killed.signal, 'SIGTERM');
  assert.equal(existsSync(path.join(cwd, 'term.md')), false);
});

test('signals: claude dies on SIGTERM without a result; gemini exits 0', async (t) => {
  const cwd = tempDir(t);
  const claude = start('claude', [...CLAUDE_STREAM, '@fake hang'], { cwd });
  await claude.waitFor('stdout', '"subtype":"init"');
  claude.child.kill('SIGTERM');
  const claudeResult = await claude.done;
  assert.equal(claudeResult.signal, 'SIGTERM');
  assert.ok(!jsonLines(claudeResult.stdout).some((m) => m.type === 'result'));

  const gemini = start('gemini', [...GEMINI_STREAM, '-p', '@fake hang'], { cwd });
  await gemini.waitFor('stdout', '"type":"init"');
  gemini.child.kill('SIGTERM');
  const geminiResult = await gemini.done;
  assert.equal(geminiResult.code, 0);
  assert.equal(geminiResult.signal, null);
  assert.ok(!jsonLines(geminiResult.stdout).some((e) => e.type === 'result'));
});

test('@fake ignore-sigterm leaves SIGKILL as the only way out', async (t) => {
  const cwd = tempDir(t);
  for (const [agent, args, ready] of [
    ['codex', CODEX, '"turn.started"'],
    ['gemini', [...GEMINI_STREAM, '-p'], '"type":"init"'],
  ] as const) {
    const started = start(agent, [...args, '@fake ignore-sigterm\n@fake hang'], { cwd });
    await started.waitFor('stdout', ready);
    started.child.kill('SIGTERM');
    started.child.kill('SIGINT');
    await sleep(300);
    assert.equal(started.child.exitCode, null, `${agent} should still run`);
    killGroup(started.child);
    assert.equal((await started.done).signal, 'SIGKILL');
  }
});

test('codex hangs reading an open stdin pipe when given a PROMPT, until EOF', async (t) => {
  const cwd = tempDir(t);
  const hung = start('codex', [...CODEX, 'do the thing'], { cwd, openStdin: true });
  await sleep(500);
  assert.equal(hung.child.exitCode, null);
  assert.equal(hung.child.signalCode, null);
  assert.equal(
    await hung.waitFor('stderr', 'Reading additional input from stdin...'),
    'Reading additional input from stdin...\n',
  );
  killGroup(hung.child);
  assert.equal((await hung.done).signal, 'SIGKILL');

  // Closing stdin releases it, and what was piped is appended as a <stdin> block.
  const released = start('codex', [...CODEX, 'do the thing'], { cwd, openStdin: true });
  await sleep(200);
  released.child.stdin.end('@fake say from the pipe\n');
  const result = await released.done;
  assert.equal(result.code, 0);
  assert.equal(obj(jsonLines(result.stdout).at(-2)?.item).text, 'from the pipe');

  // Claude waits 3 s (shortened here) for the first byte, then proceeds without stdin.
  const claude = start('claude', ['-p', 'just argv'], {
    cwd,
    openStdin: true,
    env: { FAKE_CLAUDE_STDIN_TIMEOUT_MS: '100' },
  });
  const claudeResult = await claude.done;
  killGroup(claude.child);
  assert.equal(claudeResult.code, 0);
  assert.match(claudeResult.stderr, /^Warning: no stdin data received in 3s/);
});

test('FAKE_AGENT_LOG records argv, cwd, the prompt and what stdin was', async (t) => {
  const cwd = tempDir(t);
  const log = path.join(cwd, 'log.jsonl');
  const env = { FAKE_AGENT_LOG: log };
  await run('codex', [...CODEX, 'short prompt'], { cwd, env });
  await run('claude', ['-p', 'from argv'], { cwd, input: 'from stdin', env });
  await run('gemini', ['-p', 'p'], { cwd, env });
  await run('codex', ['exec', '--prompt', 'x'], { cwd, env });
  const [codex, claude, gemini, usage] = logLines(log);
  assert.deepEqual(codex?.argv, [...CODEX, 'short prompt']);
  assert.equal(codex?.cwd, cwd);
  assert.equal(codex?.prompt, 'short prompt');
  assert.equal(codex?.prompt_source, 'argv');
  assert.equal(codex?.stdin, 'null');
  assert.equal(codex?.pgid, codex?.pid, 'spawned detached: its own process group');
  assert.equal(claude?.prompt, 'from argv\nfrom stdin');
  assert.equal(claude?.prompt_source, 'argv+stdin');
  assert.equal(claude?.stdin, 'pipe');
  assert.equal(gemini?.prompt, 'p');
  assert.equal(usage?.usage_error, true);
  assert.equal(usage?.prompt, null);
});

test('@fake spawn-child leaves a grandchild in the same process group', async (t) => {
  const cwd = tempDir(t);
  const started = start('codex', [...CODEX, '@fake spawn-child\n@fake hang'], { cwd });
  const stderr = await started.waitFor('stderr', 'spawned child pid=');
  const pid = Number(/spawned child pid=(\d+)/.exec(stderr)?.[1]);
  const groupOf = (p: number) => {
    const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  };
  assert.equal(groupOf(pid), started.child.pid);
  killGroup(started.child);
  await started.done;
  let alive = true;
  for (let i = 0; i < 100 && alive; i += 1) {
    alive =
      existsSync(`/proc/${pid}`) && !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    if (alive) await sleep(10);
  }
  assert.equal(alive, false, 'killing the group killed the grandchild');
});

test('writes need permission, as in the real headless modes', async (t) => {
  const cwd = tempDir(t);
  const prompt = '@fake write denied.txt\nno\n@fake end';
  const claude = jsonLines((await run('claude', [...CLAUDE_STREAM, prompt], { cwd })).stdout);
  assert.equal(claude.at(-1)?.subtype, 'success');
  assert.equal((obj(claude.at(-1)?.permission_denials) as unknown as unknown[]).length, 1);
  const codex = await run('codex', [...CODEX, prompt], { cwd });
  assert.equal(codex.code, 0);
  const gemini = await run('gemini', ['-p', prompt], { cwd });
  assert.equal(gemini.code, 0);
  assert.equal(existsSync(path.join(cwd, 'denied.txt')), false);
  const allowed = await run('claude', ['-p', '--allowedTools', 'Write', '--', prompt], { cwd });
  assert.equal(allowed.code, 0);
  assert.equal(readFileSync(path.join(cwd, 'denied.txt'), 'utf8'), 'no\n');
});

test('a malformed directive exits 97 and names the problem', async (t) => {
  const cwd = tempDir(t);
  const result = await run('gemini', ['-p', '@fake write x.txt\nno end marker'], { cwd });
  assert.equal(result.code, 97);
  assert.match(result.stderr, /bad directive: line 1: "@fake write x.txt" has no "@fake end"/);
});
