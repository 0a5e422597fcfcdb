// One phase of a workflow, planned: its rendered prompt or command, its invocation, its shape,
// outputs and inputs. Kept small, since a generated workflow may hold 100,000 of them: what
// phases share (empty lists, the mode places of the defaults, the defaults' workspace, equal
// hashes) is one value.
import path from 'node:path';

import { ADAPTERS } from '../agents/registry.js';
import type { AgentName, AgentRequest } from '../agents/types.js';
import { DEFAULTS } from '../options/defaults.js';
import type { Judging } from './candidates.js';
import { sha256 } from './hash.js';
import type { LoadedPhase, LoadedWorkflow } from './load.js';
import { COMMAND_HASH, phaseShape } from './phase-shape.js';
import type { PlannedPhase, RunSettings } from './plan-types.js';
import type { PhaseFile } from './schema.js';
import { renderTemplate } from './template.js';

const MODE_KEYS = ['sandbox', 'permission_mode', 'approval_mode'] as const;
const NONE: readonly string[] = Object.freeze([]);
/** Where the modes of a phase that declares none of them come from: the defaults. */
const DEFAULT_MODE_PATHS: PlannedPhase['modePaths'] = Object.freeze(
  Object.fromEntries(MODE_KEYS.map((key) => [key, Object.freeze(['defaults', key])])),
);
/** The workspace of the phases that declare none, one per workflow. */
const defaultWorkspaces = new WeakMap<object, PlannedPhase['workspace']>();

/** The same list, or the one shared empty list. */
function listOf<T>(values: readonly T[] | undefined): readonly T[] {
  return values === undefined || values.length === 0 ? (NONE as readonly T[]) : values;
}

/** The phase's workspace set-up: its own keys over the defaults'. */
function workspaceOf(workflow: LoadedWorkflow, declared: PhaseFile): PlannedPhase['workspace'] {
  const shared = declared.workspace === undefined;
  const known = shared ? defaultWorkspaces.get(workflow.declared) : undefined;
  if (known !== undefined) return known;
  const setup = { ...workflow.declared.defaults?.workspace, ...declared.workspace };
  const workspace = {
    copy: listOf(setup.copy),
    link: listOf(setup.link),
    setup: setup.setup ?? null,
    setupTimeoutSec: setup.setup_timeout ?? DEFAULTS.setupTimeoutSec,
  };
  if (shared) defaultWorkspaces.set(workflow.declared, workspace);
  return workspace;
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
  const agent = phaseAgent(phase, settings);
  const adapter = ADAPTERS[agent];
  const rendered =
    phase.promptTemplate === null ? null : renderTemplate(phase.promptTemplate, variables).text;
  // An agent judge reads the candidates' patches (they are written when each candidate ends),
  // outside its worktree: its file tools get read access to the log directory.
  const patchDir = path.resolve(settings.cwd, variables.LOG_DIR ?? '');
  const prompt =
    rendered === null || phase.judging === undefined
      ? rendered
      : `${rendered}\n\n${candidateList(phase.judging, patchDir)}`;
  const judgeReads = candidatePatches(phase.judging ?? null, patchDir).length > 0;
  const argv = declared.argv?.map((value, index) => render(value, ['argv', index])) ?? null;
  const logDir = variables.LOG_DIR ?? '';
  const isolation = isolationOf(workflow, phase, settings);
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
    ...(isolation === 'worktree' ? { isolated: true } : {}),
    ...(judgeReads ? { readDirs: [patchDir] } : {}),
  };
  const invocation = adapter.build(request, null);
  const shape = (() => {
    const {
      phaseId: _id,
      prompt: _prompt,
      command,
      argv: _argv,
      model,
      logDir: _logDir,
      readDirs: _readDirs,
      ...options
    } = request;
    return phaseShape({
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
  })();
  const modePaths = MODE_KEYS.some((key) => declared[key] !== undefined)
    ? Object.fromEntries(
        MODE_KEYS.map((key) => [
          key,
          declared[key] !== undefined ? ['phases', phase.index, key] : ['defaults', key],
        ]),
      )
    : DEFAULT_MODE_PATHS;
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
    sha256:
      prompt === null
        ? COMMAND_HASH.of(JSON.stringify(invocation.argv ?? invocation.command))
        : (shape.prompt ?? sha256(prompt)),
    shape,
    request,
    invocation,
    modePaths,
    agentHome: declared.agent_home ?? defaults.agent_home ?? 'shared',
    outputs: listOf(declared.outputs?.map((value, index) => render(value, ['outputs', index]))),
    inputs: listOf(declared.inputs?.map((value, index) => render(value, ['inputs', index]))),
    runsOn: listOf(declared.runs_on),
    env: Object.assign({}, variables, declared.env),
    minScore: declared.min_score === undefined ? null : (settings.minScore ?? declared.min_score),
    expectCostUsd: declared.expect_cost ?? null,
    isolation,
    workspace: workspaceOf(workflow, declared),
    after: listOf(phase.after),
    candidate: phase.candidate ?? null,
    judging:
      phase.judging === undefined
        ? null
        : {
            ...phase.judging,
            judge:
              'score' in phase.judging.judge
                ? { score: render(phase.judging.judge.score, ['judge', 'score']) }
                : phase.judging.judge,
          },
  };
}

/** The patches an agent judge reads, one per candidate (written in `logDir`, absolute, as each
 * candidate ends); none for a command or score judge. */
export function candidatePatches(judging: Judging | null, logDir: string): string[] {
  if (judging === null || !('agent' in judging.judge)) return [];
  return judging.candidates.map((id) => path.join(logDir, `${id}.patch`));
}

function candidateList(judging: Judging, logDir: string): string {
  const patches = candidatePatches(judging, logDir);
  return [
    `There are ${judging.candidates.length} candidates. Each one's changes, as a patch:`,
    ...patches.map((patch, index) => `- candidate ${index + 1}: ${patch}`),
    'Read every patch, choose the best candidate, and end your answer with a line "winner: K" (K its number) and your reasons.',
  ].join('\n');
}

/** The agent that runs a phase: --agent for every agent phase, else its own. */
export function phaseAgent(phase: LoadedPhase, settings: RunSettings): AgentName {
  return phase.agent !== 'command' && settings.agent !== null ? settings.agent : phase.agent;
}

/** Whether a phase runs in a worktree of its own: --isolate, the phase, else the defaults. */
export function isolationOf(
  workflow: LoadedWorkflow,
  phase: LoadedPhase,
  settings: RunSettings,
): 'none' | 'worktree' {
  if (settings.isolate === true) return 'worktree';
  return phase.declared.isolation ?? workflow.declared.defaults?.isolation ?? 'none';
}
