// The PRP generator: the shipped five-phase workflow, then the quality gate, which re-runs the
// assembly phase until the PRP scores at least the minimum or the regenerations run out.
import path from 'node:path';
import { SpendControl } from '../budget/control.js';
import type { BudgetFlags } from '../budget/settings.js';
import type { GroupResult, JobResult } from '../model/result.js';
import { packageInfo } from '../package-root.js';
import { formatPlan } from '../workflow/dry-run.js';
import type { WorkflowPlan } from '../workflow/plan-types.js';
import { prepareWorkflowRun } from '../workflow/prepare.js';
import { findReusable } from '../workflow/resume.js';
import { runWorkflow, type WorkflowRunOptions } from '../workflow/run-workflow.js';
import { scoreFile } from './score.js';

/** The workflow shipped with parex. */
export const PRP_WORKFLOW = path.join(packageInfo().root, 'workflows', 'prp.yaml');
/** The phase the quality gate re-runs. */
const ASSEMBLY_PHASE = 'phase4';

/** What `parex prp generate` is asked. */
export interface GenerateRequest {
  readonly initial: string;
  /** The phases run on a pool's workers (--redis). */
  readonly pooled?: boolean;
  readonly agent?: string | undefined;
  readonly minScore: number;
  /** How many times phase 4 may be re-run after its first attempt. */
  readonly maxRegenerations: number;
  /** Run phase 4 this many ways at once, each in its own worktree, and keep the best PRP (1: once). */
  readonly candidates?: number;
  readonly resume: boolean;
  readonly timeoutSec?: number | undefined;
  readonly idleTimeoutSec?: number | undefined;
  readonly killAfterSec?: number | undefined;
  readonly concurrency?: number | undefined;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** --max-cost, --max-tokens, --budget-soft, --limit, --prices: for all the attempts together. */
  readonly budget?: BudgetFlags;
}

/** One attempt at the PRP: the phase 4 outcome and the score it reached. */
export interface PrpAttempt {
  readonly attempt: number;
  readonly score: number | null;
  readonly group: GroupResult | null;
  /** The first phase that did not succeed for another reason than the score, if one did not. */
  readonly failedPhase: JobResult | null;
}

/** How the generation ended. */
export interface GenerateResult {
  readonly complete: boolean;
  readonly prpPath: string;
  readonly attempts: readonly PrpAttempt[];
  readonly plan: WorkflowPlan;
}

/** Hooks from the CLI session: what a workflow run takes, and a way to print. */
export interface GenerateHooks extends Omit<WorkflowRunOptions, 'resume'> {
  readonly print: (line: string) => void;
}

/** Plans the PRP run without running it (also validates everything). */
export function planPrp(request: GenerateRequest, attempt = 1, feedback = ''): WorkflowPlan {
  return prepareWorkflowRun({
    workflowFile: PRP_WORKFLOW,
    initial: request.initial,
    pooled: request.pooled === true,
    agent: request.agent,
    vars: [`MIN_SCORE=${request.minScore}`, `QUALITY_FEEDBACK=${feedback}`],
    minScore: request.minScore,
    timeoutSec: request.timeoutSec,
    idleTimeoutSec: request.idleTimeoutSec,
    killAfterSec: request.killAfterSec,
    concurrency: request.concurrency,
    attempt,
    ...(request.budget === undefined ? {} : { budget: request.budget }),
    ...((request.candidates ?? 1) > 1
      ? {
          phaseOverrides: {
            [ASSEMBLY_PHASE]: {
              candidates: request.candidates,
              judge: { score: 'prps/${FEATURE_NAME}.md' },
            },
          },
        }
      : {}),
    ...(request.cwd === undefined ? {} : { cwd: request.cwd }),
    ...(request.env === undefined ? {} : { env: request.env }),
  });
}

/** The plan as text, with the phases --resume would reuse. */
export function describePrpPlan(request: GenerateRequest): string[] {
  const plan = planPrp(request);
  const manifest = path.resolve(plan.settings.cwd, plan.dirs.logs, 'manifest.jsonl');
  const reused = request.resume
    ? findReusable(manifest, plan.phases, plan.settings.cwd)
    : new Map();
  return formatPlan(plan, reused);
}

/** Runs the workflow, then the quality gate; "complete" only when the PRP exists and passes. */
export async function generatePrp(
  request: GenerateRequest,
  hooks: GenerateHooks,
): Promise<GenerateResult> {
  let plan = planPrp(request);
  const prpPath = `prps/${plan.feature}.md`;
  const attempts: PrpAttempt[] = [];
  let resume = request.resume;
  // One budget for every attempt: a re-run of phase 4 spends from what is left.
  const spending = new SpendControl(plan.budget);
  for (let attempt = 1; ; attempt += 1) {
    const result = await runWorkflow(plan, { resume, spending, ...withoutPrint(hooks) });
    if ((request.candidates ?? 1) > 1) await takeWinner(plan, result.group, hooks.print);
    const verdict = scoreFile(path.resolve(plan.settings.cwd, prpPath), request.minScore);
    const blocking = blockingPhase(result.group);
    attempts.push({ attempt, score: verdict.score, group: result.group, failedPhase: blocking });
    hooks.print(
      `[parex] PRP attempt ${attempt}: ${
        blocking === null
          ? `${verdict.score === null ? 'no score' : `score ${verdict.score}/10`} (minimum ${request.minScore})`
          : `${phaseWords(blocking)}, so there is nothing to score`
      }`,
    );
    // A candidate that scored low failed, and its judge still kept the best one.
    const ok =
      result.ok ||
      (result.group?.cancelledBy === null &&
        result.group.results.every(
          (job) => job.outcome === 'success' || job.name.startsWith(`${ASSEMBLY_PHASE}-c`),
        ));
    if (ok && verdict.verdict === 'PASS') return { complete: true, prpPath, attempts, plan };
    const retry = onlyAssemblyFailed(result.group) && attempt <= request.maxRegenerations;
    if (!retry || hooks.signal?.aborted === true)
      return { complete: false, prpPath, attempts, plan };
    const feedback = feedbackFor(attempt, verdict.score, request.minScore, prpPath, result.group);
    plan = planPrp(request, attempt + 1, feedback);
    resume = true;
  }
}

/**
 * The first phase that failed for another reason than a low score: a phase before the assembly,
 * or the assembly itself when it failed but not on its score (timeout, agent error, ...).
 */
function blockingPhase(group: GroupResult | null): JobResult | null {
  if (group === null) return null;
  return (
    group.results.find(
      (result) =>
        result.outcome !== 'success' &&
        result.outcome !== 'skipped' &&
        !(result.name === ASSEMBLY_PHASE && result.outcome === 'failed' && scoreFailure(result)),
    ) ?? null
  );
}

/** True when the assembly failed only on its score (see run-workflow's judgePhase). */
function scoreFailure(result: JobResult): boolean {
  return /^(no "Score: N\/10" line|score [\d.]+\/10) in .*, below [\d.]+$/.test(
    result.reason ?? '',
  );
}

/** How a phase ended, in words: "phase phase1 failed (exit 1: ...)". */
export function phaseWords(result: JobResult): string {
  const how =
    result.exitCode === null ? result.outcome : `${result.outcome}, exit ${result.exitCode}`;
  return `phase ${result.name} did not succeed (${how}${result.reason === null ? '' : `: ${result.reason}`})`;
}

function onlyAssemblyFailed(group: GroupResult | null): boolean {
  if (group === null || group.cancelledBy !== null) return false;
  const failed = group.results.filter((result) => result.outcome !== 'success');
  const assembly = (name: string) =>
    name === ASSEMBLY_PHASE || name.startsWith(`${ASSEMBLY_PHASE}-c`);
  return (
    failed.some((result) => result.name === ASSEMBLY_PHASE) &&
    failed.every((result) => assembly(result.name) && result.outcome === 'failed')
  );
}

/** With candidates, the best PRP is in the winner's commit: bring it into the working tree. */
async function takeWinner(
  plan: WorkflowPlan,
  group: GroupResult | null,
  print: (line: string) => void,
): Promise<void> {
  const judged = group?.results.find((result) => result.name === ASSEMBLY_PHASE);
  if (group === null || judged?.outcome !== 'success') return;
  const { applyRun } = await import('../workspace/commands.js');
  const applied = await applyRun(plan.settings.cwd, group.runId, ASSEMBLY_PHASE);
  const winner = String(judged.details.winner ?? '');
  print(
    `[parex] ${applied.ok ? `kept the PRP of ${winner}` : `could not bring in the PRP of ${winner}`}: ${applied.lines.join(' ')}`,
  );
}

function feedbackFor(
  attempt: number,
  score: number | null,
  min: number,
  prpPath: string,
  group: GroupResult | null,
): string {
  const reason = group?.results.find((result) => result.name === ASSEMBLY_PHASE)?.reason;
  const scored = score === null ? 'had no "Score: N/10" line' : `scored ${score}/10`;
  return [
    `## Feedback on attempt ${attempt}`,
    '',
    `The PRP written by attempt ${attempt} (${prpPath}) ${scored}; the minimum is ${min}/10.${reason ? ` (${reason})` : ''}`,
    'Read it, find what keeps it below the bar (missing context, vague tasks, no validation commands,',
    'unaddressed gotchas), rewrite it to fix those, and score it again on its last line.',
  ].join('\n');
}

function withoutPrint(hooks: GenerateHooks): Omit<GenerateHooks, 'print'> {
  const { print: _print, ...rest } = hooks;
  return rest;
}
