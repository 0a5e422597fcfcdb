// One planned phase as the engine's job: its invocation for the installed CLI, its environment,
// limits, needs left after --resume, what its completion line records, and how it is judged.
import path from 'node:path';

import { hasOwnHome, seedAgentHome } from '../agents/home.js';
import type { AgentBinary } from '../agents/preflight.js';
import { agentWatcher } from '../agents/watch.js';
import type { SpendControl } from '../budget/control.js';
import type { JobSpec, OutputWatcher, SideFile } from '../model/job.js';
import { judgePhase } from './judge.js';
import { candidatePatches } from './plan-phase.js';
import type { PlannedPhase, WorkflowPlan } from './plan-types.js';
import type { ReusedPhase } from './resume.js';

/** The job of `planned`, a phase of `plan`, for the CLIs found at preflight. */
export function phaseJob(
  plan: WorkflowPlan,
  planned: PlannedPhase,
  binaries: ReadonlyMap<string, AgentBinary>,
  reused: ReadonlyMap<string, ReusedPhase>,
  spending: SpendControl,
  phaseJobs: ReadonlyMap<string, number>,
): JobSpec {
  const { adapter } = planned;
  const binary = adapter.binary === null ? undefined : binaries.get(adapter.binary);
  // Built again for the installed CLI: its flags decide, e.g. gemini's --skip-trust.
  const invocation = adapter.build(planned.request, binary?.capabilities ?? null);
  const phase: PlannedPhase = Object.assign({}, planned, { invocation });
  const target = invocation.argv ?? null;
  const logDir = path.resolve(plan.settings.cwd, plan.dirs.logs);
  const homeDir =
    phase.agentHome === 'per-job' && hasOwnHome(phase.agent)
      ? path.join(logDir, `${phase.id}.${phase.agent}-home`)
      : null;
  const home = homeDir === null ? {} : seedAgentHome(phase.agent, homeDir, plan.settings.env);
  // The paths parex itself puts in argv, env and stdin: a pool's worker makes its own.
  const sideFiles: SideFile[] = [];
  if (invocation.lastMessageFile !== null)
    sideFiles.push({ path: invocation.lastMessageFile, kind: 'file' });
  if (homeDir !== null) sideFiles.push({ path: homeDir, kind: 'home', agent: phase.agent });
  // An agent judge's prompt names the candidates' patches: a worker gets them sent along, and
  // the directory its file tools may read (argv) is the worker's, where it puts them.
  for (const patch of candidatePatches(phase.judging, logDir))
    sideFiles.push({ path: patch, kind: 'inbound' });
  for (const dir of phase.request.readDirs ?? []) sideFiles.push({ path: dir, kind: 'dir' });
  return {
    name: phase.id,
    ...(target === null ? { command: invocation.command ?? '' } : { argv: target }),
    ...(invocation.input === null ? {} : { input: invocation.input }),
    env: Object.assign({}, phase.env, invocation.env, home),
    timeoutSec: phase.timeoutSec,
    idleTimeoutSec: phase.idleTimeoutSec,
    stopSignals: invocation.stopSignals,
    needs: phase.needs.filter((need) => !reused.has(need)),
    after: phase.after.filter((name) => !reused.has(name)),
    inputs: phase.inputs,
    outputs: phase.outputs,
    sideFiles,
    runsOn: phase.runsOn,
    attempt: plan.settings.attempt,
    ...(adapter.binary === null
      ? { spending: { phase: budgetPhaseOf(phase) } }
      : {
          watch: () => watchingRateLimits(phase.id, agentWatcher(adapter), spending),
          startKey: adapter.binary,
          agent: phase.agent,
          spending: {
            model: phase.request.model,
            phase: budgetPhaseOf(phase),
            phaseJobs: phaseJobs.get(budgetPhaseOf(phase)) ?? 1,
            expectCostUsd: phase.expectCostUsd,
          },
        }),
    manifestFields: {
      agent: phase.agent,
      agent_version: binary?.version ?? null,
      agent_path: binary?.path ?? null,
      prompt_file: phase.promptFile,
      prompt_sha256: phase.sha256,
      shape: phase.shape,
      prompt_bytes: phase.prompt === null ? null : Buffer.byteLength(phase.prompt),
      argv: target,
      needs: phase.needs,
      outputs_declared: phase.outputs,
      ...(Object.keys(home).length === 0 ? {} : { agent_home: Object.values(home)[0] }),
    },
    // An isolated phase's outputs are in its worktree.
    evaluate: (result) =>
      judgePhase(
        phase,
        result,
        typeof result.details.workdir === 'string' ? result.details.workdir : plan.settings.cwd,
      ),
  };
}

/** The phase whose budget a job counts in: a candidate's phase, else its own. */
export function budgetPhaseOf(phase: {
  readonly id: string;
  readonly candidate?: { readonly of: string } | null | undefined;
}): string {
  return phase.candidate?.of ?? phase.id;
}

/** The agent's watcher, with each line also shown to the budgets (a rate limit pauses its provider). */
function watchingRateLimits(
  name: string,
  watcher: OutputWatcher,
  spending: SpendControl,
): OutputWatcher {
  return {
    line: (text) => {
      spending.watchLine(name, text);
      return watcher.line(text);
    },
  };
}
