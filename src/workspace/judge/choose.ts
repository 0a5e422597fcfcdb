// The winner among judged candidates: passed ones only; the highest score (a candidate without
// one ranks below any score); ties go to the smaller diff, then to the lower number.
import type { CandidateVerdict } from './types.js';

/** The winning candidate, or null when none passed. */
export function chooseWinner(verdicts: readonly CandidateVerdict[]): CandidateVerdict | null {
  const ranked = verdicts
    .filter((verdict) => verdict.passed && verdict.commit !== null)
    .sort(
      (a, b) => (b.score ?? -1) - (a.score ?? -1) || a.size - b.size || a.candidate - b.candidate,
    );
  return ranked[0] ?? null;
}

/** The candidates as the judge's completion line records them. */
export function candidateFields(verdicts: readonly CandidateVerdict[], winner: string | null) {
  return verdicts.map((verdict) => ({
    job: verdict.job,
    candidate: verdict.candidate,
    outcome: verdict.outcome,
    passed: verdict.passed,
    score: verdict.score,
    diff_lines: verdict.size,
    judge_log: verdict.judgeLog,
    winner: verdict.job === winner,
  }));
}
