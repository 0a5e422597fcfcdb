// Running a project's flow.yaml for feature "feat" and reading back its manifest: the set-up
// that the workflow, agent and budget tests share.
import path from 'node:path';

import type { AgentProject } from './agents.js';
import { phaseEnds } from './agents.js';
import { type CliOptions, type CliRun, runCli } from './cli.js';
import { manifestLines } from './manifest.js';

/** Where `parex run flow.yaml --feature feat` writes its logs and manifest. */
export const FEATURE_LOGS = '.parex/features/feat/logs';

/** `parex run flow.yaml --feature feat ARGS...` in the project, with its agents on PATH. */
export function runFlow(
  project: AgentProject,
  args: readonly string[] = [],
  options: Partial<CliOptions> = {},
): Promise<CliRun> {
  return runCli(['run', 'flow.yaml', '--feature', 'feat', ...args], {
    cwd: project.dir,
    env: project.env,
    ...options,
  });
}

/** The last completion line of each job of the project's run, by name. */
export function flowEnds(project: AgentProject): Map<string, Record<string, unknown>> {
  return phaseEnds(project.dir, FEATURE_LOGS);
}

/** Every line of the project's manifest. */
export function flowManifest(project: AgentProject): Record<string, unknown>[] {
  return manifestLines(path.join(project.dir, FEATURE_LOGS, 'manifest.jsonl'));
}

/** `@fake usage USAGE` steps `count` times, `gap` seconds apart: an agent spending as it goes. */
export function spending(count: number, gap: number, usage: string): string[] {
  return Array.from({ length: count }, () => [`@fake usage ${usage}`, `@fake sleep ${gap}`]).flat();
}
