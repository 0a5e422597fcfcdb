// One phase of a workflow, planned: its rendered prompt or command, its invocation, its shape,
// outputs and inputs. Kept small, since a generated workflow may hold 100,000 of them: what
// phases share (empty lists, the mode places of the defaults, equal hashes) is one value.
import { ADAPTERS } from '../agents/registry.js';
import type { AgentRequest } from '../agents/types.js';
import { DEFAULTS } from '../options/defaults.js';
import { sha256 } from './hash.js';
import type { LoadedPhase, LoadedWorkflow } from './load.js';
import { phaseShape } from './phase-shape.js';
import type { PlannedPhase, RunSettings } from './plan.js';
import { renderTemplate } from './template.js';

const MODE_KEYS = ['sandbox', 'permission_mode', 'approval_mode'] as const;
const NONE: readonly string[] = Object.freeze([]);
/** Where the modes of a phase that declares none of them come from: the defaults. */
const DEFAULT_MODE_PATHS: PlannedPhase['modePaths'] = Object.freeze(
  Object.fromEntries(MODE_KEYS.map((key) => [key, Object.freeze(['defaults', key])])),
);

/** The same list, or the one shared empty list. */
function listOf<T>(values: readonly T[] | undefined): readonly T[] {
  return values === undefined || values.length === 0 ? (NONE as readonly T[]) : values;
}

/** Plans `phase` with its `variables`; `render` renders a text of it, noting unknown variables. */
export function planPhase(
  workflow: LoadedWorkflow,
  phase: LoadedPhase,
  settings: RunSettings,
  variables: Record<string, string>,
  render: (text: string, where: (string | number)[]) => string,
): PlannedPhase {
  const declared = phase.declared;
  const defaults = workflow.declared.defaults ?? {};
  const agent = phase.agent !== 'command' && settings.agent !== null ? settings.agent : phase.agent;
  const adapter = ADAPTERS[agent];
  const prompt =
    phase.promptTemplate === null ? null : renderTemplate(phase.promptTemplate, variables).text;
  const argv = declared.argv?.map((value, index) => render(value, ['argv', index])) ?? null;
  const logDir = variables.LOG_DIR ?? '';
  const request: AgentRequest = {
    phaseId: phase.id,
    prompt,
    command: declared.command ?? null,
    argv,
    model: declared.model ?? defaults.model ?? null,
    profile: declared.profile ?? defaults.profile ?? settings.env.CODEX_PROFILE ?? 'codex-prp',
    sandbox: declared.sandbox ?? defaults.sandbox ?? null,
    permissionMode: declared.permission_mode ?? defaults.permission_mode ?? null,
    approvalMode: declared.approval_mode ?? defaults.approval_mode ?? null,
    allowedTools: listOf(declared.allowed_tools ?? defaults.allowed_tools),
    maxTurns: declared.max_turns ?? defaults.max_turns ?? null,
    trust: declared.trust ?? defaults.trust ?? true,
    logDir,
  };
  const invocation = adapter.build(request, null);
  const {
    phaseId: _id,
    prompt: _prompt,
    command,
    argv: _argv,
    model,
    logDir: _logDir,
    ...options
  } = request;
  const shape = phaseShape({
    prompt,
    command: prompt === null ? (argv ?? command) : null,
    texts: [
      phase.promptTemplate ?? '',
      command ?? '',
      ...(declared.argv ?? []),
      ...(declared.outputs ?? []),
      ...(declared.inputs ?? []),
    ],
    variables,
    env: declared.env ?? {},
    agent,
    model,
    options: agent === 'command' ? {} : options,
  });
  const modePaths = MODE_KEYS.some((key) => declared[key] !== undefined)
    ? Object.fromEntries(
        MODE_KEYS.map((key) => [
          key,
          declared[key] !== undefined ? ['phases', phase.index, key] : ['defaults', key],
        ]),
      )
    : DEFAULT_MODE_PATHS;
  const hashed = prompt ?? JSON.stringify(invocation.argv ?? invocation.command);
  return {
    id: phase.id,
    agent,
    adapter,
    needs: phase.needs,
    timeoutSec: settings.timeoutSec ?? declared.timeout ?? defaults.timeout ?? DEFAULTS.timeoutSec,
    idleTimeoutSec:
      settings.idleTimeoutSec ??
      declared.idle_timeout ??
      defaults.idle_timeout ??
      DEFAULTS.idleTimeoutSec,
    prompt,
    promptFile: phase.promptFile,
    sha256: sha256(hashed),
    shape,
    request,
    invocation,
    modePaths,
    agentHome: declared.agent_home ?? defaults.agent_home ?? 'shared',
    outputs: listOf(declared.outputs?.map((value, index) => render(value, ['outputs', index]))),
    inputs: listOf(declared.inputs?.map((value, index) => render(value, ['inputs', index]))),
    runsOn: listOf(declared.runs_on),
    env: { ...variables, ...declared.env },
    minScore: declared.min_score === undefined ? null : (settings.minScore ?? declared.min_score),
    expectCostUsd: declared.expect_cost ?? null,
  };
}
