// Running a planned workflow: check the agents, reuse what --resume allows, then one group run
// in which every phase starts as soon as the phases it needs have succeeded.
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { type AgentBinary, preflightAgents } from '../agents/preflight.js';
import type { AgentReport } from '../agents/types.js';
import { runGroup } from '../engine/run-group.js';
import type { GroupResult, JobResult, JobSpec, JobVerdict } from '../model.js';
import { DEFAULTS } from '../options/defaults.js';
import type { GroupOptions } from '../options/normalize.js';
import { scoreFile } from '../prp/score.js';
import { checkOutputs } from './outputs.js';
import type { PlannedPhase, WorkflowPlan } from './plan.js';
import { findReusable, leftoverWorktrees, type ReusedPhase } from './resume.js';
import { phaseWorkspaces } from './workspaces.js';

/** The group options a workflow run passes on to the engine as they are. */
type PassedOn =
  | 'retries'
  | 'retryDelaySec'
  | 'staggerMs'
  | 'signal'
  | 'forceSignal'
  | 'onEvent'
  | 'onWarning'
  | 'force'
  | 'unsetEnv'
  | 'secretPatterns'
  | 'failFast'
  | 'executor';

/** How to run a planned workflow. */
export interface WorkflowRunOptions extends Pick<GroupOptions, PassedOn> {
  readonly resume: boolean;
  /** Where isolated phases' worktrees go (--worktrees-dir). */
  readonly worktreesDir?: string | undefined;
  /** Told which phases are reused, before anything runs. */
  readonly onReuse?: (reused: readonly ReusedPhase[]) => void;
}

/** A workflow run: the group's result, and the phases reused from earlier runs. */
export interface WorkflowResult {
  readonly group: GroupResult | null;
  readonly reused: readonly ReusedPhase[];
  readonly ok: boolean;
}

/** The longest final message kept in the manifest; the whole one stays in the log. */
const FINAL_MESSAGE_LIMIT = 2000;

/** Runs the plan; throws only UsageError (missing agent), before anything is spawned. */
export async function runWorkflow(
  plan: WorkflowPlan,
  options: WorkflowRunOptions,
): Promise<WorkflowResult> {
  const { settings } = plan;
  const binaries = await preflightAgents(
    [...new Set(plan.phases.map((phase) => phase.adapter))],
    settings.env,
  );
  const manifestPath = path.resolve(settings.cwd, plan.dirs.logs, DEFAULTS.manifestName);
  const reusedMap = options.resume
    ? findReusable(manifestPath, plan.phases, settings.cwd)
    : new Map();
  const reused = [...reusedMap.values()];
  options.onReuse?.(reused);
  const toRun = plan.phases.filter((phase) => !reusedMap.has(phase.id));
  if (toRun.length === 0) return { group: null, reused, ok: true };
  const stale = options.resume ? leftoverWorktrees(manifestPath) : [];
  const workspace = phaseWorkspaces(plan, reused, options.worktreesDir, stale);
  workspace?.check(settings.cwd);
  for (const dir of [plan.dirs.feature, plan.dirs.planning]) {
    mkdirSync(path.resolve(settings.cwd, dir), { recursive: true });
  }
  const { resume: _resume, onReuse: _onReuse, worktreesDir: _dir, ...passedOn } = options;
  const group = await runGroup({
    ...passedOn,
    workspace,
    jobs: toRun.map((phase) => phaseJob(plan, phase, binaries, reusedMap)),
    concurrency: plan.concurrency,
    killAfterSec: plan.killAfterSec,
    failFast: passedOn.failFast ?? plan.failFast,
    logDir: path.resolve(settings.cwd, plan.dirs.logs),
    feature: plan.feature,
    group: plan.workflow.name,
    cwd: settings.cwd,
    env: settings.env,
  });
  return { group, reused, ok: group.ok };
}

function phaseJob(
  plan: WorkflowPlan,
  phase: PlannedPhase,
  binaries: ReadonlyMap<string, AgentBinary>,
  reused: ReadonlyMap<string, ReusedPhase>,
): JobSpec {
  const { invocation, adapter } = phase;
  const binary = adapter.binary === null ? undefined : binaries.get(adapter.binary);
  const target = invocation.argv ?? null;
  return {
    name: phase.id,
    ...(target === null ? { command: invocation.command ?? '' } : { argv: target }),
    ...(invocation.input === null ? {} : { input: invocation.input }),
    env: phase.env,
    timeoutSec: phase.timeoutSec,
    idleTimeoutSec: phase.idleTimeoutSec,
    stopSignals: invocation.stopSignals,
    needs: phase.needs.filter((need) => !reused.has(need)),
    after: phase.after.filter((name) => !reused.has(name)),
    inputs: phase.inputs,
    // What travels back from a pool's worker: the declared outputs and the agent's side files.
    outputs:
      invocation.lastMessageFile === null
        ? phase.outputs
        : [...phase.outputs, invocation.lastMessageFile],
    runsOn: phase.runsOn,
    attempt: plan.settings.attempt,
    manifestFields: {
      agent: phase.agent,
      agent_version: binary?.version ?? null,
      agent_path: binary?.path ?? null,
      prompt_file: phase.promptFile,
      prompt_sha256: phase.sha256,
      prompt_bytes: phase.prompt === null ? null : Buffer.byteLength(phase.prompt),
      argv: target,
      needs: phase.needs,
      outputs_declared: phase.outputs,
    },
    evaluate: (result) => judgePhase(plan, phase, result),
  };
}

async function judgePhase(
  plan: WorkflowPlan,
  phase: PlannedPhase,
  result: JobResult,
): Promise<JobVerdict> {
  const report = await phase.adapter.interpret(result.logPath, result.exitCode, phase.invocation);
  // An isolated phase's outputs are in its worktree.
  const cwd =
    typeof result.details.workdir === 'string' ? result.details.workdir : plan.settings.cwd;
  const outputs = checkOutputs(phase.outputs, cwd);
  const missing = outputs.filter((output) => !output.ok);
  const score = phase.minScore === null ? null : scoreOf(phase, cwd);
  const details = {
    ...reportFields(report),
    outputs,
    outputs_ok: missing.length === 0,
    ...(phase.minScore === null ? {} : { score, min_score: phase.minScore }),
  };
  if (result.outcome !== 'success') return { details };
  if (!report.ok) {
    return { outcome: 'failed', reason: report.reason ?? 'the agent reported a failure', details };
  }
  if (missing.length > 0) {
    const reason = missing.map((output) => `output missing: ${output.path}`).join('; ');
    return { outcome: 'failed', reason, details };
  }
  if (phase.minScore !== null && (score === null || score < phase.minScore)) {
    const found = score === null ? 'no "Score: N/10" line' : `score ${score}/10`;
    const reason = `${found} in ${phase.outputs[0]}, below ${phase.minScore}`;
    return { outcome: 'failed', reason, details };
  }
  return { details };
}

function scoreOf(phase: PlannedPhase, cwd: string): number | null {
  const [first] = phase.outputs;
  return first === undefined ? null : scoreFile(path.resolve(cwd, first), 0).score;
}

function reportFields(report: AgentReport): Record<string, unknown> {
  const message = report.finalMessage;
  return {
    session_id: report.sessionId,
    final_message:
      message === null || message.length <= FINAL_MESSAGE_LIMIT
        ? message
        : `${message.slice(0, FINAL_MESSAGE_LIMIT)}…`,
    input_tokens: report.inputTokens,
    output_tokens: report.outputTokens,
    cached_input_tokens: report.cachedInputTokens,
    cost_usd: report.costUsd,
    agent_ok: report.ok,
  };
}
