// Judging one candidate in its worktree: the judge command's exit status and printed score, or
// the score written in a file.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { WorkspaceContext } from '../../model/workspace.js';
import { resolveInside } from '../../names/inside-root.js';
import { readScore } from '../../prp/score.js';
import type { JudgeSpec } from './types.js';

/** A candidate's judgement: passed, and its score if one was found. */
export interface Judgement {
  readonly passed: boolean;
  readonly score: number | null;
  readonly judgeLog: string | null;
}

/** Judges the candidate `job` whose worktree's run directory is `cwd`. */
export async function judgeCandidate(
  context: WorkspaceContext,
  judge: JudgeSpec,
  job: string,
  cwd: string,
): Promise<Judgement> {
  if (judge.kind === 'agent') return { passed: true, score: null, judgeLog: null };
  if (judge.kind === 'score') {
    const score = readScore(readText(path.resolve(cwd, judge.file)));
    return { passed: score !== null, score, judgeLog: null };
  }
  const judgeLog = resolveInside(context.logDir, `${job}.judge.log`);
  const ran = await context.run({
    command: judge.command,
    cwd,
    logPath: judgeLog,
    timeoutSec: judge.timeoutSec,
  });
  const text = readText(judgeLog);
  return {
    passed: ran.outcome === 'success',
    score: readScore(text) ?? plainScore(text),
    judgeLog,
  };
}

/** The last "score: N" of a text (a judge command's own format), or null. */
function plainScore(text: string): number | null {
  const found = [...text.matchAll(/\bscore\s*:\s*(\d+(?:\.\d+)?)\b/gi)].at(-1)?.[1];
  return found === undefined ? null : Number(found);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
