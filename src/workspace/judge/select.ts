// The judge job of a best-of-N phase: once every candidate has ended, the winner's commit becomes
// the phase's commit (and what its dependents start from). With a command or score judge parex
// settles it without a process; an agent judge runs, and names the winner with "winner: K".
import type { JobResult } from '../../model/result.js';
import type { WorkspaceReady } from '../../model/workspace.js';
import { gitOk } from '../git.js';
import { jobRef } from '../refs.js';
import type { RunState } from '../run-state.js';
import { checkSiblings } from '../siblings.js';
import { candidateFields, chooseWinner } from './choose.js';
import type { CandidateVerdict, JudgeJobSpec } from './types.js';

/** The verdicts of a judge's candidates, in order (one that never ran did not pass). */
function verdictsOf(state: RunState, spec: JudgeJobSpec): CandidateVerdict[] {
  return spec.candidates.map(
    (job, position) =>
      state.verdicts.get(job) ?? {
        job,
        candidate: position + 1,
        outcome: 'not run',
        commit: null,
        passed: false,
        score: null,
        size: 0,
        changed: [],
        judgeLog: null,
      },
  );
}

/** Settles a command or score judge: the winner, or `failed` when no candidate passed. */
export async function settleJudge(
  state: RunState,
  name: string,
  spec: JudgeJobSpec,
): Promise<WorkspaceReady> {
  const verdicts = verdictsOf(state, spec);
  const winner = chooseWinner(verdicts);
  if (winner === null) {
    return {
      ok: false,
      outcome: 'failed',
      reason: `no candidate passed the judge (${verdicts.map((v) => `${v.job}: ${v.outcome}${v.outcome === 'success' ? ', not passed' : ''}`).join('; ')})`,
      details: { winner: null, candidates: candidateFields(verdicts, null) },
    };
  }
  return {
    ok: false,
    outcome: 'success',
    reason: `the judge chose candidate ${winner.candidate} of ${verdicts.length} (${winner.job}${winner.score === null ? '' : `, score ${winner.score}`})`,
    details: await adopt(state, name, winner, verdicts),
  };
}

/** After an agent judge ended: the candidate its final message names, or why there is none. */
export async function finishAgentJudge(
  state: RunState,
  name: string,
  spec: JudgeJobSpec,
  result: JobResult,
): Promise<{ details: Record<string, unknown>; failure?: string }> {
  const verdicts = verdictsOf(state, spec);
  const message =
    typeof result.details.final_message === 'string' ? result.details.final_message : '';
  const named = Number([...message.matchAll(/\bwinner\s*:\s*(\d+)/gi)].at(-1)?.[1] ?? Number.NaN);
  const winner = verdicts.find((verdict) => verdict.candidate === named);
  if (result.outcome !== 'success')
    return { details: { winner: null, candidates: candidateFields(verdicts, null) } };
  if (winner === undefined || !winner.passed) {
    const why =
      winner === undefined
        ? 'named no candidate with a "winner: K" line'
        : `named candidate ${named}, which did not succeed`;
    return {
      details: { winner: null, candidates: candidateFields(verdicts, null) },
      failure: `the judge ${why}`,
    };
  }
  return { details: await adopt(state, name, winner, verdicts) };
}

/** Makes the winner's commit the judge job's: its dependents start from it, the result has it. */
async function adopt(
  state: RunState,
  name: string,
  winner: CandidateVerdict,
  verdicts: readonly CandidateVerdict[],
) {
  const commit = winner.commit ?? state.base;
  state.commits.set(name, commit);
  await gitOk(['update-ref', jobRef(state.context.runId, name), commit], { cwd: state.root });
  const checks = await checkSiblings(state, { name, commit, changed: winner.changed });
  return {
    winner: winner.job,
    winner_candidate: winner.candidate,
    commit,
    changed_files: winner.changed,
    candidates: candidateFields(verdicts, winner.job),
    ...checks,
  };
}
