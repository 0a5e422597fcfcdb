// What an isolated job's payload carries (protocol version 2), and the entries of its exchange:
// the worker asks for its start with the commits it has (`want`), the coordinator answers with a
// bundle on the attempt's bundle stream; the worker's set-up log and commit bundle come back on
// the attempt's own stream before its end.
import type { FilePayload } from './protocol.js';

/** An isolated job's workspace, as the worker receives it. */
export interface WorkspacePayload {
  /** The repository: id (root commits and URL) and its remote URL, cloned once per worker. */
  readonly repo: { readonly id: string; readonly url: string | null };
  /** The start commit (base plus needs), and the ref that names it in bundles. */
  readonly start: string;
  readonly startRef: string;
  /** The ref the job's commit gets, in the worker's clone and in its bundle. */
  readonly jobRef: string;
  /** The job's directory relative to the repository's top. */
  readonly prefix: string;
  readonly dirs: readonly string[];
  /** workspace.copy: the files themselves (they travel like inputs). */
  readonly copy: readonly FilePayload[];
  /** workspace.link: paths linked from the worker's --workdir. */
  readonly link: readonly string[];
  readonly setup: string | null;
  readonly setupTimeoutMs: number;
  readonly message: string;
}

/** Added to an isolated job's backstop: the time its git objects may take to travel (clone,
 * bundles) besides its set-up's timeout. */
export const WORKSPACE_MARGIN_MS = 5 * 60_000;

/** Entry types of the exchange. */
export const EXCHANGE = {
  /** Worker → coordinator: `have` (JSON list of commits), for the start's bundle. */
  want: 'want',
  /** Either way: a chunk `k KIND d BYTES` (kinds: bundle, setup-log). */
  chunk: 'chunk',
  /** Coordinator → worker: the bundle is complete (`full` 1 or 0), or `error` (m). */
  done: 'done',
  error: 'error',
} as const;
