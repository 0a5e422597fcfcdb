// What an isolated job's payload carries (protocol version 2), and the entries of its exchange:
// the worker asks for its start with the commits it has (`want`), the coordinator answers with a
// bundle on the attempt's bundle stream; the worker's set-up log and commit bundle come back on
// the attempt's own stream before its end.
import type { TravellingWorkspace } from '../model/workspace.js';
import type { FilePayload } from './protocol.js';

/** An isolated job's workspace, as the worker receives it: the travelling workspace's data
 * (repository, start and its ref, the job's ref, directories, links, setup, commit message),
 * the copied files themselves (they travel like inputs) and the setup's timeout. */
export type WorkspacePayload = Pick<TravellingWorkspace, (typeof TRAVELLING_FIELDS)[number]> & {
  readonly copy: readonly FilePayload[];
  readonly setupTimeoutMs: number;
};

/** The fields of a TravellingWorkspace that travel as they are. */
export const TRAVELLING_FIELDS = [
  'repo',
  'start',
  'startRef',
  'jobRef',
  'prefix',
  'dirs',
  'link',
  'setup',
  'message',
] as const;

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
