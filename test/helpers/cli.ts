// Runs the built parex CLI as a real process and collects what it printed.
import { type ChildProcess, spawn } from 'node:child_process';

import { CLI_PATH } from './paths.js';

/** What a CLI run printed and how it ended. */
export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of a CLI run. */
export interface CliOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the CLI (and fail) if it runs longer than this. Default 60 s. */
  readonly limitMs?: number;
  /** Called once the process is spawned, e.g. to signal it later. */
  readonly onSpawn?: (child: ChildProcess) => void;
}

/** Runs `parex ARGS...` and resolves when it exits. */
export function runCli(args: readonly string[], options: CliOptions): Promise<CliRun> {
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.onSpawn?.(child);
  return collectRun(child, options.limitMs ?? 60_000);
}

/** Collects what a child with piped stdout and stderr prints, and how it ends; kills it (and
 * so fails the test) after `limitMs`. */
export function collectRun(child: ChildProcess, limitMs: number): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Resolves once `text` appears in the child's stderr (or rejects after `limitMs`). */
export function waitForStderr(child: ChildProcess, text: string, limitMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`"${text}" not seen in: ${seen}`)), limitMs);
    child.stderr?.on('data', (chunk: Buffer | string) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}
