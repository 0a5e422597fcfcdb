// An isolated job on a worker: its start fetched into the worker's copy of the repository (asked
// for with the commits the copy has; a bundle the copy cannot take is asked for again whole), a
// detached worktree of it, the set-up (copied files, links to the worker's --workdir, the setup
// command with its own log), and at the end the job's work committed and sent back as a bundle.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { createBundle, fetchBundle, hasCommit, verifyBundle } from '../workspace/bundle.js';
import { commitWork } from '../workspace/commit.js';
import { gitOk } from '../workspace/git.js';
import { serially } from '../workspace/serial.js';
import { addWorktree, removeWorktree } from '../workspace/worktree.js';
import { BUNDLE_LIMIT_BYTES, readStream, sendFile } from './bundles.js';
import type { RemoteOutcome } from './protocol.js';
import { setUp, words } from './remote-setup.js';
import { haves, openRepoCache, pruneRefs, refreshFromUrl } from './repo-cache.js';
import type { WorkerContext } from './run-remote.js';
import type { RunningJob } from './running-jobs.js';
import { eventsTtlMs } from './timing.js';
import { EXCHANGE, type WorkspacePayload } from './workspace-protocol.js';

/** What one isolated attempt on this worker is. */
export interface AttemptPlace {
  readonly run: string;
  readonly name: string;
  readonly attempt: number;
  /** The attempt's stream (to the coordinator) and its bundle stream (from it). */
  readonly stream: string;
  readonly bundleStream: string;
  readonly logDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly graceMs: number;
  readonly switches: RunningJob;
}

/** The job's directory, or why it cannot run; `finish` commits and sends back its work. */
export interface PlacedWorkspace {
  readonly cwd: string;
  readonly failed: Partial<RemoteOutcome> | null;
  finish(): Promise<Partial<RemoteOutcome>>;
}

/** Makes the attempt's worktree from its start commit. */
export async function placeWorkspace(
  context: WorkerContext,
  ws: WorkspacePayload,
  at: AttemptPlace,
): Promise<PlacedWorkspace> {
  const label = `${at.run}/${at.name}`;
  const dir = path.join(context.workdir, '.parex', 'worktrees', at.run, `${at.name}.${at.attempt}`);
  const cwd = path.join(dir, ws.prefix);
  let cache = '';
  const failed = (why: Partial<RemoteOutcome>): PlacedWorkspace => ({
    cwd,
    failed: why,
    finish: async () => ({}),
  });
  try {
    cache = await openRepoCache(context.workdir, ws.repo, context.print);
    await fetchStart(context, ws, at, cache, label);
    await serially(cache, async () => {
      await removeWorktree(cache, dir);
      await addWorktree(cache, dir, null, ws.start);
    });
  } catch (error) {
    return failed({
      setupFailed: `could not make the worktree on worker ${context.name}: ${words(error)}`,
    });
  }
  const setupLog = path.join(at.logDir, `${at.name}.attempt${at.attempt}.setup.log`);
  const setupFailed = await setUp(context, ws, at, cwd, setupLog);
  if (ws.setup !== null) {
    await sendFile(context.client, at.stream, setupLog, EXCHANGE.chunk, 'setup-log').catch(() => 0);
  }
  if (setupFailed !== null) {
    await serially(cache, () => removeWorktree(cache, dir));
    return failed({ setupFailed });
  }
  const exclude = [...ws.copy.map((file) => file.path), ...ws.link].map((entry) =>
    path.join(ws.prefix, entry),
  );
  return {
    cwd,
    failed: null,
    finish: async () => {
      try {
        const commit = await commitWork(dir, ws.message, exclude);
        await gitOk(['update-ref', ws.jobRef, commit], { cwd: cache });
        if (commit !== ws.start) {
          const bytes = await sendCommit(context, cache, ws, at.stream);
          context.print(
            `[parex] ${label}: sent its commit ${commit.slice(0, 12)} (${bytes} bytes)`,
          );
        }
        return { commit };
      } catch (error) {
        return {
          workspaceError: `could not send the job's commit from worker ${context.name}: ${words(error)}`,
        };
      } finally {
        await serially(cache, () => removeWorktree(cache, dir));
        await pruneRefs(cache).catch(() => {});
      }
    },
  };
}

/** Fetches the start into the copy unless it has it: a bundle of what it lacks, else a whole one. */
async function fetchStart(
  context: WorkerContext,
  ws: WorkspacePayload,
  at: AttemptPlace,
  cache: string,
  label: string,
): Promise<void> {
  if (await hasCommit(cache, ws.start)) {
    context.print(`[parex] ${label}: the start ${ws.start.slice(0, 12)} is here already`);
    return;
  }
  await refreshFromUrl(cache, ws.repo.url, at.run);
  if (await hasCommit(cache, ws.start)) return;
  const have = await haves(cache);
  const got = await takeStart(cache, ws.startRef, have, (asked, file) =>
    askForBundle(context, at, asked, file),
  );
  if (got.refused !== null) {
    context.print(
      `[parex] ${label}: the bundle did not fit this copy (${got.refused}); asked for a full one`,
    );
  }
  const kind = got.full ? 'a full' : `an incremental (${have.length} commits known)`;
  context.print(`[parex] ${label}: got its start as ${kind} bundle of ${got.bytes} bytes`);
}

/** What taking a start brought: its bundle's size, whether it was full, and why an incremental
 * one was refused (null when none was). */
export interface TakenStart {
  readonly bytes: number;
  readonly full: boolean;
  readonly refused: string | null;
}

/**
 * Fetches `startRef` into `cache` from a bundle that `ask` writes for the commits `have` (true
 * when it wrote a full one); a bundle whose prerequisites the copy lacks is asked for again
 * whole, so that a wrong guess costs bytes, never the job.
 */
export async function takeStart(
  cache: string,
  startRef: string,
  have: readonly string[],
  ask: (have: readonly string[], file: string) => Promise<boolean>,
): Promise<TakenStart> {
  const scratch = mkdtempSync(path.join(cache, 'parex-bundle-'));
  let refused: string | null = null;
  try {
    for (let asked = have; ; asked = []) {
      const file = path.join(scratch, 'start.bundle');
      const full = await ask(asked, file);
      const problem = await verifyBundle(cache, file);
      if (problem === null) {
        await serially(cache, () => fetchBundle(cache, file, startRef));
        return { bytes: statSync(file).size, full: full || asked.length === 0, refused };
      }
      if (asked.length === 0) throw new Error(`the full bundle does not verify: ${problem}`);
      refused = problem;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Asks the coordinator for the start's bundle; writes it to `file`; true when it is full. */
async function askForBundle(
  context: WorkerContext,
  at: AttemptPlace,
  have: readonly string[],
  file: string,
): Promise<boolean> {
  await writeFile(file, '');
  // This entry makes the job's stream: it expires from the start, as the start entry's does.
  const [added] =
    (await context.client
      .pipeline()
      .xadd(at.stream, '*', 't', EXCHANGE.want, 'have', JSON.stringify(have))
      .pexpire(at.stream, eventsTtlMs())
      .exec()) ?? [];
  if (added?.[0]) throw added[0];
  let full = false;
  let bytes = 0;
  await readStream(
    context.client,
    at.bundleStream,
    async (entry) => {
      const type = entry.get('t')?.toString();
      if (type === EXCHANGE.chunk) {
        const data = entry.get('d') ?? Buffer.alloc(0);
        bytes += data.length;
        if (bytes > BUNDLE_LIMIT_BYTES) throw new Error(tooLarge('start'));
        await appendFile(file, data);
        return false;
      }
      if (type === EXCHANGE.error)
        throw new Error(entry.get('m')?.toString() ?? 'the coordinator failed');
      full = entry.get('full')?.toString() === '1';
      return type === EXCHANGE.done;
    },
    at.switches.cancel.signal,
  );
  return full;
}

/** Bundles the job's commit (without its start) and sends it; resolves with its size. */
async function sendCommit(
  context: WorkerContext,
  cache: string,
  ws: WorkspacePayload,
  stream: string,
): Promise<number> {
  const scratch = mkdtempSync(path.join(cache, 'parex-bundle-'));
  try {
    const file = path.join(scratch, 'commit.bundle');
    await createBundle(cache, file, ws.jobRef, [ws.start]);
    if (statSync(file).size > BUNDLE_LIMIT_BYTES) throw new Error(tooLarge('commit'));
    return await sendFile(context.client, stream, file, EXCHANGE.chunk, 'bundle');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** What to tell of an attempt whose worktree was not made: that it was stopped (cancelled, or
 * handed back by a worker shutting down) while it was being made, or `failed`. */
export function stoppedOr(
  switches: RunningJob,
  failed: Partial<RemoteOutcome>,
): Partial<RemoteOutcome> {
  if (switches.handedBack !== null) return { handedBack: switches.handedBack };
  if (switches.cancel.signal.aborted)
    return { refused: 'cancelled before it started', notStarted: true };
  return failed;
}

function tooLarge(what: string): string {
  return `the ${what} bundle is larger than ${BUNDLE_LIMIT_BYTES / 1024 / 1024} MiB, the most a pool job carries each way; commit large files to the repository's remote so the worker clones them`;
}
