// --resume: which phases a new run may reuse from an earlier one.
import { existsSync } from 'node:fs';

import { waves } from '../graph/topology.js';
import type { EndEntry } from '../journal/entries.js';
import { isEndEntry, readManifest } from '../journal/reader.js';
import { checkOutputs } from './outputs.js';
import type { PlannedPhase } from './plan.js';

/** Why a phase is reused: the run whose success it keeps. */
export interface ReusedPhase {
  readonly id: string;
  readonly runId: string;
  readonly endedAt: string;
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
  const ordered = waves(phases.map((phase) => ({ name: phase.id, needs: phase.needs })))
    .flat()
    .flatMap((id) => byId.get(id) ?? []);
  for (const phase of ordered) {
    const entry = last.get(phase.id) as (EndEntry & { prompt_sha256?: unknown }) | null | undefined;
    if (entry?.status !== 'success' || entry.prompt_sha256 !== phase.sha256) continue;
    if (!checkOutputs(phase.outputs, cwd).every((output) => output.ok)) continue;
    if (!phase.needs.every((need) => reused.has(need))) continue;
    reused.set(phase.id, {
      id: phase.id,
      runId: entry.run_id,
      endedAt: entry.ended_at ?? entry.timestamp,
    });
  }
  return reused;
}
