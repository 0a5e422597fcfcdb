// --resume: which phases a new run may reuse from an earlier one, and why each other one reruns.
import { existsSync } from 'node:fs';

import { waves } from '../graph/topology.js';
import type { EndEntry } from '../journal/entries.js';
import { isEndEntry, readManifest } from '../journal/reader.js';
import { checkOutputs } from './outputs.js';
import { shapeChanges } from './phase-shape.js';
import type { PlannedPhase } from './plan.js';

/** Why a phase is reused: the run whose success it keeps. */
export interface ReusedPhase {
  readonly id: string;
  readonly runId: string;
  readonly endedAt: string;
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
  phases: readonly PlannedPhase[],
  cwd: string,
): Map<string, ReusedPhase> {
  return decideResume(manifestPath, phases, cwd).reused;
}

/** findReusable, with the reason each other phase runs again. */
export function decideResume(
  manifestPath: string,
  phases: readonly PlannedPhase[],
  cwd: string,
): ResumeDecision {
  const reused = new Map<string, ReusedPhase>();
  const rerun = new Map<string, string>();
  // A start line after a phase's last completion (a run killed mid-phase) makes it unfinished.
  const last = new Map<string, EndEntry | null>();
  if (existsSync(manifestPath)) {
    for (const entry of readManifest(manifestPath).entries) {
      last.set(entry.phase, isEndEntry(entry) ? entry : null);
    }
  }
  const byId = new Map(phases.map((phase) => [phase.id, phase]));
  const ordered = waves(phases.map((phase) => ({ name: phase.id, needs: phase.needs })))
    .flat()
    .flatMap((id) => byId.get(id) ?? []);
  for (const phase of ordered) {
    const entry = last.get(phase.id) as (EndEntry & { shape?: unknown }) | null | undefined;
    const why = rerunReason(phase, entry, reused, cwd);
    if (why !== null) {
      rerun.set(phase.id, why);
      continue;
    }
    const done = entry as EndEntry;
    reused.set(phase.id, {
      id: phase.id,
      runId: done.run_id,
      endedAt: done.ended_at ?? done.timestamp,
    });
  }
  return { reused, rerun };
}

function rerunReason(
  phase: PlannedPhase,
  entry: (EndEntry & { shape?: unknown }) | null | undefined,
  reused: ReadonlyMap<string, ReusedPhase>,
  cwd: string,
): string | null {
  if (entry === undefined) return 'no earlier run of it';
  if (entry === null) return 'its last run did not finish';
  if (entry.status !== 'success') return `its last run ended ${entry.outcome ?? entry.status}`;
  const changes = shapeChanges(entry.shape, phase.shape);
  if (changes.length > 0) return `changed since its last success: ${changes.join(', ')}`;
  const missing = checkOutputs(phase.outputs, cwd).filter((output) => !output.ok);
  if (missing.length > 0)
    return `output missing: ${missing.map((output) => output.path).join(', ')}`;
  const rerunNeed = phase.needs.find((need) => !reused.has(need));
  if (rerunNeed !== undefined) return `needs ${rerunNeed}, which runs again`;
  return null;
}
