// agent_home: per-job: each job gets its own CODEX_HOME / CLAUDE_CONFIG_DIR under the log
// directory, seeded with COPIES of the user's configuration and credentials. The user's own
// files are only ever read, so parallel agents cannot race on them (a locked sqlite database, a
// rewritten ~/.claude.json).
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** What is copied from the user's home of each agent: configuration and credentials, no state. */
const SEEDS: Readonly<Record<string, readonly string[]>> = {
  codex: ['config.toml', 'auth.json', 'AGENTS.md', 'prompts', 'rules'],
  claude: ['.credentials.json', 'settings.json', 'CLAUDE.md', 'agents', 'commands', '.claude.json'],
};

/** The variable that moves each agent's state. */
const VARIABLES: Readonly<Record<string, string>> = {
  codex: 'CODEX_HOME',
  claude: 'CLAUDE_CONFIG_DIR',
};

/** Whether an agent's state can be given a home of its own. */
export function hasOwnHome(agent: string): boolean {
  return agent in VARIABLES;
}

/** Makes and seeds `dir` as the agent's home for one job; returns the variables that point to it. */
export function seedAgentHome(
  agent: string,
  dir: string,
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const variable = VARIABLES[agent];
  if (variable === undefined) return {};
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const [from, name] of sources(agent, env)) {
    const target = path.join(dir, name);
    if (existsSync(from) && !existsSync(target)) {
      cpSync(from, target, { recursive: true, preserveTimestamps: true });
    }
  }
  return { [variable]: dir };
}

/** Each seed file's place in the user's home, with its name in the job's home. */
function sources(agent: string, env: NodeJS.ProcessEnv): [string, string][] {
  const home = env.HOME ?? '';
  const variable = VARIABLES[agent] ?? '';
  const own = env[variable];
  const base = own || path.join(home, agent === 'codex' ? '.codex' : '.claude');
  return (SEEDS[agent] ?? []).map((name) => {
    // Without CLAUDE_CONFIG_DIR, claude keeps .claude.json in the home directory itself.
    if (agent === 'claude' && name === '.claude.json' && !own) return [path.join(home, name), name];
    return [path.join(base, name), name];
  });
}
