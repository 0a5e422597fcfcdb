// Best-of-N as the workspaces see it: how each candidate is judged, and what was found.

/** How a candidate is judged once it has succeeded. */
export type JudgeSpec =
  /** Run in the candidate's worktree: exit 0 passes; a printed "Score: N/10" or "score: N" ranks. */
  | { readonly kind: 'command'; readonly command: string; readonly timeoutSec: number }
  /** The "Score: N/10" in a file the candidate wrote (relative to the run's directory). */
  | { readonly kind: 'score'; readonly file: string }
  /** An agent reads every candidate's patch and names the winner; candidates are not scored. */
  | { readonly kind: 'agent' };

/** A candidate job: whose candidate it is, its number, and its phase's judge. */
export interface CandidateSpec {
  readonly of: string;
  readonly index: number;
  readonly judge: JudgeSpec;
}

/** A judge job: the candidates it chooses among, and how. */
export interface JudgeJobSpec {
  readonly candidates: readonly string[];
  readonly kind: JudgeSpec['kind'];
}

/** One candidate after it ended and was judged. */
export interface CandidateVerdict {
  readonly job: string;
  readonly candidate: number;
  readonly outcome: string;
  readonly commit: string | null;
  /** Passed its judge (command exit 0, a score found); false when it did not succeed. */
  readonly passed: boolean;
  readonly score: number | null;
  /** Lines added plus lines removed: the smaller diff wins a tie. */
  readonly size: number;
  readonly changed: readonly string[];
  readonly judgeLog: string | null;
}
