// What the installed agent CLI offers (its flags and their choices), read from its --help once
// per binary and version and kept in a cache file, so that later runs ask nothing.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { AgentCapabilities } from './types.js';

/** The arguments that print the help of the subcommand parex runs. */
const HELP_ARGS: Readonly<Record<string, readonly string[]>> = { codex: ['exec', '--help'] };

/** A line of help that starts an option: `  -s, --sandbox <MODE>`, `      --skip-trust`. */
const OPTION_LINE = /^\s*(?:-[A-Za-z0-9],?\s+)?--[A-Za-z]/;

/** Parses a --help text: commander's `(choices: "a", "b")`, yargs' `[choices: "a"]`, clap's `[possible values: a, b]`. */
export function parseHelp(text: string): AgentCapabilities {
  const flags = new Set<string>();
  const choices = new Map<string, readonly string[]>();
  let current: string[] = [];
  for (const line of text.split('\n')) {
    if (OPTION_LINE.test(line)) {
      const head = line.trim().split(/\s{2,}/)[0] ?? '';
      current = [...head.matchAll(/--([A-Za-z][\w-]*)/g)].map((match) => match[1] as string);
      for (const flag of current) flags.add(flag);
    } else if (line.trim() !== '' && !/^\s/.test(line)) {
      current = []; // a new section (Commands:, Arguments:)
    }
    const found = /(?:choices|possible values):\s*([^)\]]*)/.exec(line);
    if (found === null || current.length === 0) continue;
    const listed = found[1] ?? '';
    const quoted = [...listed.matchAll(/"([^"]*)"/g)].map((match) => match[1] as string);
    const values =
      quoted.length > 0
        ? quoted
        : listed
            .split(',')
            .map((value) => value.trim())
            .filter(Boolean);
    for (const flag of current) choices.set(flag, values);
  }
  return { flags, choices };
}

/** The capabilities of `binary` at `version`: from the cache, else from its --help (then cached). */
export async function readCapabilities(
  agent: string,
  binary: string,
  version: string,
  env: NodeJS.ProcessEnv,
): Promise<AgentCapabilities | null> {
  const cacheFile = cachePath(env);
  const key = `${binary}\u0000${version}`;
  const cache = cacheFile === null ? {} : readCache(cacheFile);
  const cached = cache[key];
  if (cached !== undefined) return parseHelp(cached);
  const help = await askHelp(binary, HELP_ARGS[agent] ?? ['--help'], env);
  if (help === null) return null;
  if (cacheFile !== null && !version.startsWith('unknown'))
    writeCache(cacheFile, { ...cache, [key]: help });
  return parseHelp(help);
}

function cachePath(env: NodeJS.ProcessEnv): string | null {
  const base = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, '.cache') : null);
  return base === null ? null : path.join(base, 'parex', 'agent-help.json');
}

function readCache(file: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** Written whole and renamed into place, so that parallel runs never read half a file. */
function writeCache(file: string, cache: Record<string, string>): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, JSON.stringify(cache));
    renameSync(partial, file);
  } catch {
    // No cache: the next run asks again.
  }
}

function askHelp(
  binary: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<string | null> {
  return new Promise((resolve) => {
    const child = execFile(binary, [...args], { env, timeout: 15_000 }, (error, stdout) => {
      const text = stdout.toString();
      resolve(error === null || text.includes('--') ? text : null);
    });
    child.stdin?.end();
  });
}
