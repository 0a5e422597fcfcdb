// After an isolated job's last attempt: its work committed on its branch (any outcome), its
// patch written, and, when it succeeded, its commit checked against every sibling that finished
// before it (jobs with no needs between them). A candidate is judged instead (it is not part of
// the result: its judge's winner is); an agent judge's winner becomes its phase's commit.
import { existsSync } from 'node:fs';

import type { JobResult } from '../model/result.js';
import type { WorkspaceFinish, WorkspaceJob } from '../model/workspace.js';
import { resolveInside } from '../names/inside-root.js';
import { changeStats, commitWork, writePatch } from './commit.js';
import { gitOk } from './git.js';
import { judgeCandidate } from './judge/score.js';
import { finishAgentJudge } from './judge/select.js';
import { jobRef } from './refs.js';
import type { Placed, RunState } from './run-state.js';
import { checkSiblings } from './siblings.js';
import { checkOutJob } from './travel.js';

/** The fields of the job's completion line: commit, changed files, conflicts, overlaps. */
export async function finishJob(
  state: RunState,
  job: WorkspaceJob,
  result: JobResult,
): Promise<WorkspaceFinish> {
  const place = state.placed.get(job.name);
  if (place === undefined) return { details: {} };
  // A job run elsewhere whose commit never came back (lost, set-up failed): no work to record.
  const returned = place.remote === true ? (place.returned?.() ?? null) : null;
  if (place.remote === true && returned === null) return { details: { commit: null } };
  try {
    // A failed job's worktree is kept for the user, as in a local run.
    if (returned !== null && result.outcome !== 'success' && !existsSync(place.dir))
      await checkOutJob(state.root, state.context.runId, job.name, place.dir, returned);
    const fields = await commitJob(state, job.name, place, result, returned);
    const judge = state.judges.get(job.name);
    if (judge !== undefined) {
      const judged = await finishAgentJudge(state, job.name, judge, result);
      return { ...judged, details: { ...fields, ...judged.details } };
    }
    const candidate = state.candidates.get(job.name);
    if (candidate !== undefined)
      return { details: { ...fields, ...(await judged(state, job.name, place, result, fields)) } };
    if (result.outcome !== 'success') return { details: fields };
    state.commits.set(job.name, fields.commit);
    const checks = await checkSiblings(state, {
      name: job.name,
      commit: fields.commit,
      changed: fields.changed_files,
    });
    return { details: { ...fields, ...checks } };
  } catch (error) {
    state.context.onWarning(
      `[parex] warning: could not record the work of ${job.name}: ${String(error)}`,
    );
    return { details: { workspace_error: String(error) } };
  }
}

/** The job's commit (made here, or `returned` from where it ran, already under its ref), its
 * changes and its patch. */
async function commitJob(
  state: RunState,
  name: string,
  place: Placed,
  result: JobResult,
  returned: string | null,
) {
  const { root, context } = state;
  let commit = returned;
  if (commit === null) {
    const message = `parex: ${name} (run ${context.runId}): ${result.outcome}`;
    commit = await commitWork(place.dir, message, place.exclude);
    await gitOk(['update-ref', jobRef(context.runId, name), commit], { cwd: root });
  }
  const stats = await changeStats(root, place.start, commit);
  const patch = resolveInside(context.logDir, `${name}.patch`);
  await writePatch(root, place.start, commit, patch);
  return { commit, ...stats, patch };
}

/** Judges a candidate that succeeded (a failed one does not pass) and records the verdict. */
async function judged(
  state: RunState,
  name: string,
  place: Placed,
  result: JobResult,
  fields: Awaited<ReturnType<typeof commitJob>>,
) {
  const spec = state.candidates.get(name);
  if (spec === undefined) return {};
  const judgement =
    result.outcome === 'success'
      ? await judgeCandidate(state.context, spec.judge, name, place.cwd)
      : { passed: false, score: null, judgeLog: null };
  state.verdicts.set(name, {
    job: name,
    candidate: spec.index,
    outcome: result.outcome,
    commit: fields.commit,
    passed: judgement.passed,
    score: judgement.score,
    size: fields.insertions + fields.deletions,
    changed: fields.changed_files,
    judgeLog: judgement.judgeLog,
  });
  return {
    candidate: spec.index,
    candidate_of: spec.of,
    judge_passed: judgement.passed,
    score: judgement.score,
    judge_log: judgement.judgeLog,
  };
}
