// --resume: which phases a new run may reuse from an earlier one.
import { existsSync } from 'node:fs';

import { waves } from '../graph/topology.js';
import type { EndEntry } from '../journal/entries.js';
import { isEndEntry, readManifest } from '../journal/reader.js';
import { gitSync } from '../workspace/git.js';
import { checkOutputs } from './outputs.js';
import { type PlannedPhase, phaseGraph } from './plan.js';

/** Why a phase is reused: the run whose success it keeps. */
export interface ReusedPhase {
  readonly id: string;
  readonly runId: string;
  readonly endedAt: string;
  /** The commit of its work when it ran isolated (its outputs are in it); null otherwise. */
  readonly commit: string | null;
}

/**
 * Phases whose last completion succeeded with the same prompt (or command), whose outputs all
 * still exist, and all of whose needs are reused too.
 */
export function findReusable(
  manifestPath: string,
  phases: readonly PlannedPhase[],
  cwd: string,
): Map<string, ReusedPhase> {
  const reused = new Map<string, ReusedPhase>();
  if (!existsSync(manifestPath)) return reused;
  // A start line after a phase's last completion (a run killed mid-phase) makes it unfinished.
  const last = new Map<string, EndEntry | null>();
  for (const entry of readManifest(manifestPath).entries) {
    last.set(entry.phase, isEndEntry(entry) ? entry : null);
  }
  const byId = new Map(phases.map((phase) => [phase.id, phase]));
  const ordered = waves(phaseGraph(phases))
    .flat()
    .flatMap((id) => byId.get(id) ?? []);
  for (const phase of ordered) {
    const entry = last.get(phase.id) as
      | (EndEntry & { prompt_sha256?: unknown; commit?: unknown })
      | null
      | undefined;
    if (entry?.status !== 'success' || entry.prompt_sha256 !== phase.sha256) continue;
    const commit = typeof entry.commit === 'string' ? entry.commit : null;
    if (commit !== null && phase.isolation !== 'worktree') continue;
    if (commit === null && phase.isolation === 'worktree') continue;
    const present =
      commit === null
        ? checkOutputs(phase.outputs, cwd).every((output) => output.ok)
        : committedOutputs(commit, phase.outputs, cwd);
    if (!present) continue;
    if (![...phase.needs, ...phase.after].every((need) => reused.has(need))) continue;
    reused.set(phase.id, {
      id: phase.id,
      runId: entry.run_id,
      endedAt: entry.ended_at ?? entry.timestamp,
      commit,
    });
  }
  return reused;
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
