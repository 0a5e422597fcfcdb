// Projects for workflow tests: fake agent CLIs on PATH, scripted per phase.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';

import { type CliRun, runCli } from './cli.js';
import { git } from './git.js';
import { FIXTURES } from './paths.js';
import { tempDir } from './tmp.js';

/** A project directory with the fake agents on PATH and a script per phase. */
export interface AgentProject {
  readonly dir: string;
  readonly scripts: string;
  readonly agentLog: string;
  /** The fakes' HOME (their ~/.codex, ~/.claude.json, ~/.gemini), outside the project. */
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
  /** Sets the @fake directives a phase runs (optionally for one attempt only). */
  script(phase: string, lines: readonly string[], attempt?: number): void;
  /** Every invocation the fakes logged. */
  invocations(): Record<string, unknown>[];
}

/** Makes a project; `files` are written into it first. */
export function agentProject(t: TestContext, files: Record<string, string> = {}): AgentProject {
  const dir = tempDir(t);
  const scripts = path.join(dir, '.fake-scripts');
  mkdirSync(scripts);
  const home = tempDir(t);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  const agentLog = path.join(dir, '.fake-agents.jsonl');
  return {
    dir,
    scripts,
    agentLog,
    home,
    env: {
      PATH: `${FIXTURES}/bin:${process.env.PATH ?? ''}`,
      // The fakes keep their state (~/.codex, ~/.claude.json, ~/.gemini) where the real ones do.
      HOME: home,
      FAKE_AGENT_SCRIPT_DIR: scripts,
      FAKE_AGENT_LOG: agentLog,
      FAKE_CLAUDE_STDIN_TIMEOUT_MS: '2000',
    },
    script: (phase, lines, attempt) => {
      const name = attempt === undefined ? `${phase}.txt` : `${phase}.attempt${attempt}.txt`;
      writeFileSync(path.join(scripts, name), `${lines.join('\n')}\n`);
    },
    invocations: () => {
      try {
        return readFileSync(agentLog, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as Record<string, unknown>);
      } catch {
        return [];
      }
    },
  };
}

/** Directives that write `file` with `lines`, as an agent would. */
export function writes(file: string, ...lines: string[]): string[] {
  return [`@fake write ${file}`, ...lines, '@fake end'];
}

/** Scripts every phase of the shipped PRP workflow to succeed, phase 4 with `score`. */
export function scriptHappyPrp(project: AgentProject, feature: string, score = 9): void {
  const planning = `prps/${feature}/planning`;
  project.script(
    'phase1',
    writes(`${planning}/feature-analysis.md`, '# Feature analysis', 'Goal: login.'),
  );
  // parex starts one agent CLI's jobs 1 s apart (stagger_same_agent): 2a starts first, 2c last,
  // and the sleeps let all three overlap all the same.
  project.script('phase2a', [
    '@fake sleep 3',
    ...writes(`${planning}/codebase-patterns.md`, '# Patterns'),
  ]);
  project.script('phase2b', [
    '@fake sleep 2',
    ...writes(`${planning}/documentation-links.md`, '# Docs'),
  ]);
  project.script('phase2c', [
    '@fake sleep 1',
    ...writes(`prps/${feature}/examples/login.ts`, '// from src/auth.ts'),
    ...writes(`${planning}/examples-to-include.md`, '# Examples'),
  ]);
  project.script('phase3', writes(`${planning}/gotchas.md`, '# Gotchas', '1. timing attacks'));
  project.script(
    'phase4',
    writes(`prps/${feature}.md`, '# PRP: login', '', `**Score: ${score}/10**`),
  );
}

/** A workflow file's text from its lines. */
export function flow(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** The last completion line of each phase in the manifest of LOGS under `dir`, by phase. */
export function phaseEnds(dir: string, logs: string): Map<string, Record<string, unknown>> {
  const lines = readFileSync(path.join(dir, logs, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return new Map(
    lines.filter((line) => line.status !== 'started').map((line) => [String(line.phase), line]),
  );
}

/** A project whose two claude phases a1 and a2 spend $0.045 per message (Sonnet prices) every
 * 0.3 s, 20 times, beside a shell phase `sh` (sleep 5), a3 (never reached under a small budget)
 * and a4 (needs a1): a budget of $0.20 goes in the fifth message. */
export function burningProject(t: TestContext): AgentProject {
  const project = agentProject(t, {
    'p.md': 'go\n',
    'flow.yaml': flow(
      'defaults: { agent: claude, kill_after: 2, stagger_same_agent: 0, agent_home: per-job }',
      'phases:',
      '  - { id: a1, prompt: p.md }',
      '  - { id: a2, prompt: p.md }',
      // Its slot frees only long after the budget is reached, so a3 is queued until then.
      '  - { id: sh, agent: command, command: "sleep 5; echo shell done" }',
      '  - { id: a3, prompt: p.md }',
      '  - { id: a4, prompt: p.md, needs: [a1] }',
    ),
  });
  const burn = Array.from({ length: 20 }, () => [
    '@fake usage input=10000 output=1000',
    '@fake sleep 0.3',
  ]).flat();
  project.script('a1', burn);
  project.script('a2', burn);
  project.script('a3', ['@fake say never']);
  return project;
}

/** Runs parex with `args` in `project`, made a git repository first, its worktrees' cache beside
 * it (removed after the test). */
export function runInRepo(t: TestContext, project: AgentProject, args: string[]): Promise<CliRun> {
  git(project.dir, 'init', '-q', '-b', 'main');
  const cache = `${project.dir}-cache`;
  t.after(() => rmSync(cache, { recursive: true, force: true }));
  return runCli(args, { cwd: project.dir, env: { ...project.env, XDG_CACHE_HOME: cache } });
}
