// --resume: which phases a new run may reuse from an earlier one, and why each other one reruns.
import { existsSync } from 'node:fs';

import type { EndEntry } from '../journal/entries.js';
import { isEndEntry, readManifest } from '../journal/reader.js';
import { gitSync } from '../workspace/git.js';
import { checkOutputs } from './outputs.js';
import { shapeChanges } from './phase-shape.js';
import { phaseWaves } from './phase-waves.js';
import type { PhaseList, PlannedPhase } from './plan-types.js';

/** Why a phase is reused: the run whose success it keeps. */
export interface ReusedPhase {
  readonly id: string;
  readonly runId: string;
  readonly endedAt: string;
  /** The commit of its work when it ran isolated (its outputs are in it); null otherwise. */
  readonly commit: string | null;
}

/** What --resume decides for each phase: reused, or rerun for a reason in words. */
export interface ResumeDecision {
  readonly reused: Map<string, ReusedPhase>;
  readonly rerun: Map<string, string>;
}

/**
 * Phases whose last completion succeeded with the same shape (prompt or command, the variables
 * they use, env:, agent, model and options), whose outputs all still exist, and all of whose needs
 * are reused too.
 */
export function findReusable(
  manifestPath: string,
  phases: PhaseList,
  cwd: string,
): Map<string, ReusedPhase> {
  return decideResume(manifestPath, phases, cwd).reused;
}

/** findReusable, with the reason each other phase runs again. */
export function decideResume(manifestPath: string, phases: PhaseList, cwd: string): ResumeDecision {
  const reused = new Map<string, ReusedPhase>();
  const rerun = new Map<string, string>();
  // A start line after a phase's last completion (a run killed mid-phase) makes it unfinished.
  const last = new Map<string, EndEntry | null>();
  if (existsSync(manifestPath)) {
    for (const entry of readManifest(manifestPath).entries) {
      last.set(entry.phase, isEndEntry(entry) ? entry : null);
    }
  }
  // Needs first; each phase built in turn and let go.
  for (const position of phaseWaves(phases.ids, phases.waitsFor).order) {
    const phase = phases.at(position);
    if (phase === undefined) continue;
    const entry = last.get(phase.id) as ResumeEntry | null | undefined;
    const why = rerunReason(phase, entry, reused, cwd);
    if (why !== null) {
      rerun.set(phase.id, why);
      continue;
    }
    const done = entry as ResumeEntry;
    reused.set(phase.id, {
      id: phase.id,
      runId: done.run_id,
      endedAt: done.ended_at ?? done.timestamp,
      commit: typeof done.commit === 'string' ? done.commit : null,
    });
  }
  return { reused, rerun };
}

/** A completion line as --resume reads it: its shape, and the commit of an isolated phase. */
type ResumeEntry = EndEntry & { shape?: unknown; commit?: unknown };

function rerunReason(
  phase: PlannedPhase,
  entry: ResumeEntry | null | undefined,
  reused: ReadonlyMap<string, ReusedPhase>,
  cwd: string,
): string | null {
  if (entry === undefined) return 'no earlier run of it';
  if (entry === null) return 'its last run did not finish';
  if (entry.status !== 'success') return `its last run ended ${entry.outcome ?? entry.status}`;
  const changes = shapeChanges(entry.shape, phase.shape);
  if (changes.length > 0) return `changed since its last success: ${changes.join(', ')}`;
  const commit = typeof entry.commit === 'string' ? entry.commit : null;
  if (commit !== null && phase.isolation !== 'worktree') return 'it ran isolated and now is not';
  if (commit === null && phase.isolation === 'worktree') return 'it now runs isolated';
  if (commit === null) {
    const missing = checkOutputs(phase.outputs, cwd).filter((output) => !output.ok);
    if (missing.length > 0)
      return `output missing: ${missing.map((output) => output.path).join(', ')}`;
  } else if (!committedOutputs(commit, phase.outputs, cwd)) {
    return `its commit ${commit.slice(0, 12)} is gone or lacks an output`;
  }
  const rerunNeed = [...phase.needs, ...phase.after].find((need) => !reused.has(need));
  if (rerunNeed !== undefined) return `needs ${rerunNeed}, which runs again`;
  return null;
}

/** Worktrees an earlier run left that nobody needs: of phases it never finished (it was
 * killed; they run again in new ones) and of phases that succeeded (their work is a commit).
 * Those of failed phases stay for inspection until `parex clean`. */
export function leftoverWorktrees(manifestPath: string): string[] {
  if (!existsSync(manifestPath)) return [];
  const left = new Map<string, string>();
  for (const entry of readManifest(manifestPath).entries) {
    const workspace = (entry as { workspace?: unknown }).workspace;
    if (typeof workspace !== 'string') continue;
    const done = isEndEntry(entry) && entry.status !== 'success';
    if (done) left.delete(`${entry.run_id} ${entry.phase}`);
    else left.set(`${entry.run_id} ${entry.phase}`, workspace);
  }
  return [...left.values()];
}

/** True when every output is a non-empty file (or directory) in `commit`. */
function committedOutputs(commit: string, outputs: readonly string[], cwd: string): boolean {
  if (gitSync(['cat-file', '-e', `${commit}^{commit}`], cwd) === null) return false;
  return outputs.every((output) => {
    const size = gitSync(['cat-file', '-s', `${commit}:./${output}`], cwd);
    return size !== null && Number(size) > 0;
  });
}
