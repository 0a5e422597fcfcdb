// Before anything launches: every agent a workflow needs is installed, and its version is known.
import { execFile } from 'node:child_process';

import { UsageError } from '../errors.js';
import { findOnPath } from '../process/find-on-path.js';
import { readCapabilities } from './capabilities.js';
import type { AgentAdapter, AgentCapabilities } from './types.js';

/** An installed agent CLI. */
export interface AgentBinary {
  readonly path: string;
  readonly version: string;
  /** Its flags and their choices, from its --help; null when the help could not be read. */
  readonly capabilities: AgentCapabilities | null;
}

/** Checks each adapter's binary, asks its version and reads its --help; a UsageError naming what to install. */
export async function preflightAgents(
  adapters: readonly AgentAdapter[],
  env: NodeJS.ProcessEnv,
): Promise<Map<string, AgentBinary>> {
  const found = new Map<string, AgentBinary>();
  const missing = adapters.filter((adapter) => {
    if (adapter.binary === null) return false;
    return findOnPath(adapter.binary, env.PATH ?? '') === null;
  });
  if (missing.length > 0) {
    const list = missing.map((adapter) => `${adapter.binary} (${adapter.install})`).join('; ');
    throw new UsageError(
      `the workflow needs ${missing.map((adapter) => adapter.binary).join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not on PATH`,
      'a phase cannot run without its agent, and parex checks before it launches anything',
      `install: ${list}; or pick another agent (--agent, or "agent:" in the workflow)`,
    );
  }
  for (const adapter of adapters) {
    if (adapter.binary === null || found.has(adapter.binary)) continue;
    const binary = findOnPath(adapter.binary, env.PATH ?? '') as string;
    const version = await askVersion(binary, env);
    const capabilities = await readCapabilities(adapter.name, binary, version, env);
    found.set(adapter.binary, { path: binary, version, capabilities });
  }
  return found;
}

function askVersion(binary: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile(binary, ['--version'], { env, timeout: 15_000 }, (error, stdout) => {
      const line = stdout.toString().trim().split('\n')[0] ?? '';
      resolve(
        error === null && line !== ''
          ? line
          : `unknown (--version failed: ${error?.message ?? 'no output'})`,
      );
    });
    child.stdin?.end();
  });
}
