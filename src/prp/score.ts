// The quality score of a PRP: the first "Score: N/10" line (any case, optional bold).
import { readFileSync } from 'node:fs';

const SCORE =
  /\*{0,2}\s*score\s*\*{0,2}\s*:\s*\*{0,2}\s*(\d{1,2}(?:\.\d+)?)\s*\*{0,2}\s*\/\s*10\b/i;

/** The score written in `text`, or null when there is none (or it is above 10). */
export function readScore(text: string): number | null {
  const match = SCORE.exec(text);
  if (match?.[1] === undefined) return null;
  const score = Number(match[1]);
  return score >= 0 && score <= 10 ? score : null;
}

/** PASS, FAIL or NO_SCORE for a PRP file, as `parex prp score` prints it. */
export interface ScoreVerdict {
  readonly verdict: 'PASS' | 'FAIL' | 'NO_SCORE';
  readonly score: number | null;
}

/** Reads the file's score and compares it with `min`; a missing file has no score. */
export function scoreFile(file: string, min: number): ScoreVerdict {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { verdict: 'NO_SCORE', score: null };
  }
  const score = readScore(text);
  if (score === null) return { verdict: 'NO_SCORE', score };
  return { verdict: score >= min ? 'PASS' : 'FAIL', score };
}

/** The line `parex prp score` prints: PASS:N, FAIL:N or NO_SCORE. */
export function formatVerdict(verdict: ScoreVerdict): string {
  return verdict.score === null ? 'NO_SCORE' : `${verdict.verdict}:${verdict.score}`;
}
