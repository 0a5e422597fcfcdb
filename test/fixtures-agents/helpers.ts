// Running the fake agent CLIs of test/fixtures/bin from the tests in this folder.
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fakes' directory (from dist/test/fixtures-agents/, the repository root is ../../../). */
const BIN = fileURLToPath(new URL('../../../test/fixtures/bin/', import.meta.url));

export type Agent = 'codex' | 'claude' | 'gemini';
export type Json = Record<string, unknown>;

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Started {
  readonly child: ChildProcessWithoutNullStreams;
  readonly done: Promise<Finished>;
  /** Resolves once `text` has appeared on the stream (rejects after `limitMs`). */
  waitFor(stream: 'stdout' | 'stderr', text: string, limitMs?: number): Promise<string>;
}

export interface RunOptions {
  readonly cwd: string;
  /** Written to stdin, which is then closed. Without it stdin is /dev/null unless `openStdin`. */
  readonly input?: string | Buffer;
  /** Give the fake a stdin pipe that the test never closes. */
  readonly openStdin?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly limitMs?: number;
}

export const CODEX = ['exec', '--json', '--skip-git-repo-check'];
export const CLAUDE_STREAM = ['-p', '--output-format', 'stream-json', '--verbose'];
export const GEMINI_STREAM = ['-o', 'stream-json', '--approval-mode', 'auto_edit', '--skip-trust'];

/** One home directory for the fakes' state files in this test process, never the user's. */
const HOME = mkdtempSync(path.join(tmpdir(), 'parex-fake-home-'));
process.on('exit', () => rmSync(HOME, { recursive: true, force: true }));

/** Environment of a fake: the test runner's, minus any FAKE_* setting that could leak in. */
function fakeEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  // Trusted unless a test says otherwise (test/fixtures-agents/trust.test.ts does).
  const env: NodeJS.ProcessEnv = { HOME, GEMINI_CLI_TRUST_WORKSPACE: 'true' };
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('FAKE_') && !(key in env)) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Starts a fake in its own process group (so that a test can signal or kill the group). */
export function start(agent: Agent, args: readonly string[], options: RunOptions): Started {
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

export function run(agent: Agent, args: readonly string[], options: RunOptions): Promise<Finished> {
  return start(agent, args, options).done;
}

export function killGroup(
  child: ChildProcessWithoutNullStreams,
  signal: NodeJS.Signals = 'SIGKILL',
) {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export function jsonLines(text: string): Json[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Json);
}

/** `value` as an object, failing the test when it is not one. */
export function obj(value: unknown): Json {
  assert.ok(value !== null && typeof value === 'object', `not an object: ${String(value)}`);
  return value as Json;
}

export function logLines(file: string): Json[] {
  return jsonLines(readFileSync(file, 'utf8'));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
