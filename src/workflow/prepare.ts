// From what a user typed to a planned run: the feature, the --var values, the workflow checked.
import path from 'node:path';

import { AGENT_NAMES, type AgentName } from '../agents/types.js';
import type { BudgetFlags } from '../budget/settings.js';
import { UsageError } from '../errors.js';
import { extractFeatureName } from '../names/feature-name.js';
import { assertValidName } from '../names/validate.js';
import { projectInitial } from './initial-file.js';
import { loadWorkflow } from './load.js';
import { planWorkflow } from './plan.js';
import type { RunSettings, WorkflowPlan } from './plan-types.js';
import type { PhaseFile } from './schema.js';
import { isVariableName } from './template.js';
import { BUILTIN_VARIABLES } from './variables.js';

/** What a user asks of a workflow run, before checking. */
export interface RunRequest {
  readonly workflowFile: string;
  readonly feature?: string | undefined;
  readonly initial?: string | undefined;
  /** KEY=VALUE strings. */
  readonly vars?: readonly string[];
  readonly agent?: string | undefined;
  readonly timeoutSec?: number | undefined;
  readonly idleTimeoutSec?: number | undefined;
  readonly killAfterSec?: number | undefined;
  readonly concurrency?: number | undefined;
  readonly attempt?: number;
  readonly minScore?: number | undefined;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly budget?: BudgetFlags;
  /** The phases run on a pool's workers (--redis): an initial file must be in the project. */
  readonly pooled?: boolean;
  /** Run every phase in its own git worktree. */
  readonly isolate?: boolean;
  /** Keys set on phases, by phase id (prp generate --candidates sets phase 4's). */
  readonly phaseOverrides?: Readonly<Record<string, Partial<PhaseFile>>>;
}

/** Checks the request and the workflow and plans the run; throws one UsageError on any problem. */
export function prepareWorkflowRun(request: RunRequest): WorkflowPlan {
  const cwd = request.cwd ?? process.cwd();
  const vars = parseVars(request.vars ?? []);
  const agent = parseAgent(request.agent);
  const initialPath =
    request.initial === undefined
      ? null
      : projectInitial(request.initial, cwd, request.pooled === true);
  const workflow = loadWorkflow(
    path.resolve(cwd, request.workflowFile),
    Object.keys(vars),
    request.phaseOverrides,
  );
  const feature =
    request.feature !== undefined
      ? assertValidName(request.feature, 'feature name')
      : initialPath !== null
        ? extractFeatureName(initialPath)
        : assertValidName(workflow.name, 'feature name (the workflow name; pass --feature)');
  const settings: RunSettings = {
    feature,
    initialPath,
    vars,
    agent,
    timeoutSec: request.timeoutSec ?? null,
    idleTimeoutSec: request.idleTimeoutSec ?? null,
    killAfterSec: request.killAfterSec ?? null,
    concurrency: request.concurrency ?? null,
    attempt: request.attempt ?? 1,
    minScore: request.minScore ?? null,
    cwd,
    env: request.env ?? process.env,
    ...(request.budget === undefined ? {} : { budget: request.budget }),
    isolate: request.isolate === true,
  };
  return planWorkflow(workflow, settings);
}

function parseVars(pairs: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    const key = equals < 0 ? pair : pair.slice(0, equals);
    if (equals < 0 || !isVariableName(key) || BUILTIN_VARIABLES.includes(key)) {
      throw new UsageError(
        `--var ${JSON.stringify(pair)} is not KEY=VALUE with a usable KEY`,
        equals < 0
          ? 'a variable needs a value after "="'
          : BUILTIN_VARIABLES.includes(key)
            ? `${key} is set by parex itself`
            : 'KEY must match [A-Za-z_][A-Za-z0-9_]* (it is also exported as an environment variable)',
        'write it as --var TOPIC=auth',
      );
    }
    vars[key] = pair.slice(equals + 1);
  }
  return vars;
}

function parseAgent(agent: string | undefined): AgentName | null {
  if (agent === undefined) return null;
  if ((AGENT_NAMES as readonly string[]).includes(agent)) return agent as AgentName;
  throw new UsageError(
    `unknown agent ${JSON.stringify(agent)}`,
    `parex drives ${AGENT_NAMES.join(', ')}`,
    'pass one of those to --agent',
  );
}
