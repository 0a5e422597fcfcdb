// Running git for the workspaces: plumbing commands with a clean environment, no automatic gc,
// no hooks, and parex's own identity on the commits it writes.
import { spawn, spawnSync } from 'node:child_process';

/** What one git command printed and how it ended. */
export interface GitResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Extra settings of one git command. */
export interface GitOptions {
  readonly cwd: string;
  /** Variables added to the environment (e.g. GIT_INDEX_FILE). */
  readonly env?: Readonly<Record<string, string>>;
  readonly input?: string;
}

/** Settings on every command: no gc or maintenance under parallel jobs, no hooks. */
const CONFIG = [
  '-c',
  'gc.auto=0',
  '-c',
  'maintenance.auto=false',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'advice.detachedHead=false',
];

/** The identity of the commits parex writes (snapshots, jobs' work, merges). */
const IDENTITY = {
  GIT_AUTHOR_NAME: 'parex',
  GIT_AUTHOR_EMAIL: 'parex@localhost',
  GIT_COMMITTER_NAME: 'parex',
  GIT_COMMITTER_EMAIL: 'parex@localhost',
};

/** The environment of a git command: the caller's, without what would point git elsewhere. */
export function gitEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...IDENTITY, GIT_TERMINAL_PROMPT: '0' };
  for (const name of [
    'GIT_DIR',
    'GIT_WORK_TREE',
    'GIT_INDEX_FILE',
    'GIT_COMMON_DIR',
    'GIT_PREFIX',
  ]) {
    delete env[name];
  }
  return { ...env, ...extra };
}

/** Runs git and resolves with its output, whatever its exit status. */
export function git(args: readonly string[], options: GitOptions): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = spawn('git', [...CONFIG, ...args], {
      cwd: options.cwd,
      env: gitEnv(options.env),
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin?.end(options.input);
    child.on('error', (error) => resolve({ code: 127, stdout: '', stderr: String(error) }));
    child.on('close', (code) =>
      resolve({
        code: code ?? 128,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}

/** Runs git and resolves with its trimmed stdout; rejects with its stderr when it fails. */
export async function gitOk(args: readonly string[], options: GitOptions): Promise<string> {
  const result = await git(args, options);
  if (result.code !== 0) {
    throw new Error(`git ${args.join(' ')} failed (exit ${result.code}): ${result.stderr.trim()}`);
  }
  return result.stdout.trim();
}

/** Runs git synchronously (checks before anything runs, clean); null when it fails. */
export function gitSync(args: readonly string[], cwd: string, input?: string): string | null {
  const result = spawnSync('git', [...CONFIG, ...args], {
    cwd,
    env: gitEnv(),
    encoding: 'utf8',
    ...(input === undefined ? {} : { input }),
  });
  return result.status === 0 ? result.stdout.trim() : null;
}

/** Runs git with the terminal as its stdout and stderr (colours when it is one); its exit code. */
export function gitToTerminal(args: readonly string[], cwd: string): number {
  const result = spawnSync('git', ['--no-pager', ...CONFIG, ...args], {
    cwd,
    env: gitEnv(),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return result.status ?? 128;
}

/**
 * `git add -A` of the whole tree at `cwd` leaving `exclude` (paths from the top) out. Paths
 * that .gitignore already ignores are not named: git refuses an exclude of an ignored path.
 */
export async function addAllExcept(
  cwd: string,
  exclude: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<void> {
  let named = exclude;
  if (exclude.length > 0) {
    const ignored = await git(['check-ignore', '--', ...exclude], { cwd, env });
    const skip = new Set(ignored.stdout.split('\n').filter((line) => line !== ''));
    named = exclude.filter((entry) => !skip.has(entry));
  }
  const pathspecs = named.map((entry) => `:(exclude,top)${entry}`);
  await gitOk(['add', '-A', '--', ':/', ...pathspecs], { cwd, env });
}
