// The coordinator's side of an isolated attempt's git objects: the payload's workspace (copied
// files packed like inputs), the start's bundle served when the worker asks with what it has,
// the set-up log and the job's commit bundle taken from the attempt's stream, and at its end the
// commit handed to the workspace (which names it refs/parex/RUN/job/JOB and checks it out here).
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { TravellingWorkspace } from '../model/workspace.js';
import { sendFile } from './bundles.js';
import { packFiles } from './files.js';
import type { RedisClient } from './modules.js';
import type { RemoteOutcome } from './protocol.js';
import type { Entry } from './remote-attempt.js';
import { EXCHANGE, TRAVELLING_FIELDS, type WorkspacePayload } from './workspace-protocol.js';

/** What the end of an isolated attempt adds to its outcome. */
export interface ExchangeEnd {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly failure?: string;
  readonly setupFailed?: string;
}

/** The payload's workspace, or why it cannot go (copied files too large). */
export function workspacePayload(
  travel: TravellingWorkspace,
  cwd: string,
  warn: (line: string) => void,
): { payload: WorkspacePayload } | { error: string } {
  const copy = travel.copy.filter((entry) => {
    if (existsSync(path.resolve(cwd, entry))) return true;
    warn(`[parex] warning: workspace.copy ${entry}: not found in ${cwd}, left out`);
    return false;
  });
  const packed = packFiles(cwd, copy, 'input');
  if ('error' in packed) return { error: `workspace.copy: ${packed.error}` };
  const fields = Object.fromEntries(TRAVELLING_FIELDS.map((field) => [field, travel[field]]));
  const payload = {
    ...(fields as Pick<TravellingWorkspace, (typeof TRAVELLING_FIELDS)[number]>),
    copy: packed.files,
    setupTimeoutMs: Math.round(travel.setupTimeoutSec * 1000),
  };
  return { payload };
}

/** One isolated attempt's exchange of git objects with its worker. */
export class BundleExchange {
  private readonly scratch = mkdtempSync(path.join(tmpdir(), 'parex-bundle-'));
  private readonly commitFile = path.join(this.scratch, 'commit.bundle');
  private commitFd: number | null = null;
  private setupFd: number | null = null;
  private serving: Promise<void> = Promise.resolve();
  private sent = 0;
  private full = false;
  private returned = 0;
  private readonly stop = new AbortController();

  constructor(
    private readonly client: RedisClient,
    private readonly bundleStream: string,
    private readonly travel: TravellingWorkspace,
  ) {}

  /** Takes one entry of the attempt's stream that is the exchange's. */
  apply(type: string, entry: Entry): void {
    if (type === EXCHANGE.want) {
      const have = JSON.parse(entry.get('have')?.toString() ?? '[]') as string[];
      this.serving = this.serving.then(() => this.serve(have));
    } else if (type === EXCHANGE.chunk) {
      const data = entry.get('d') ?? Buffer.alloc(0);
      if (entry.get('k')?.toString() === 'setup-log') {
        this.setupFd ??= openSync(this.travel.setupLog, 'w');
        writeSync(this.setupFd, data);
      } else {
        this.commitFd ??= openSync(this.commitFile, 'w');
        writeSync(this.commitFd, data);
        this.returned += data.length;
      }
    }
  }

  /** At the attempt's end: its commit taken back (when it sent one), the exchange's fields. */
  async finish(remote: Partial<RemoteOutcome>): Promise<ExchangeEnd> {
    this.close();
    await this.serving;
    const fields = {
      bundle_sent_bytes: this.sent,
      bundle_full: this.full,
      bundle_returned_bytes: this.returned,
    };
    try {
      if (remote.setupFailed !== undefined) return { fields, setupFailed: remote.setupFailed };
      if (remote.workspaceError !== undefined) return { fields, failure: remote.workspaceError };
      if (remote.commit === undefined) return { fields };
      const file = this.returned > 0 ? this.commitFile : null;
      const problem = await this.travel.receive(remote.commit, file);
      return problem === null ? { fields } : { fields, failure: problem };
    } finally {
      this.discard();
    }
  }

  /** Removes what the exchange holds (also when the attempt was lost). */
  discard(): void {
    this.stop.abort();
    this.close();
    rmSync(this.scratch, { recursive: true, force: true });
    void this.client.del(this.bundleStream).catch(() => {});
  }

  /** Writes the start's bundle for a worker that has `have` and streams it to the worker. */
  private async serve(have: readonly string[]): Promise<void> {
    const file = path.join(this.scratch, 'start.bundle');
    try {
      const made = await this.travel.bundle(have, file);
      this.full = made.full;
      this.sent += await sendFile(
        this.client,
        this.bundleStream,
        file,
        EXCHANGE.chunk,
        'bundle',
        this.stop.signal,
      );
      await this.client.xadd(
        this.bundleStream,
        '*',
        't',
        EXCHANGE.done,
        'full',
        made.full ? '1' : '0',
        'bytes',
        String(statSync(file).size),
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.client
        .xadd(
          this.bundleStream,
          '*',
          't',
          EXCHANGE.error,
          'm',
          `the coordinator could not bundle the job's start: ${message}`,
        )
        .catch(() => {});
    } finally {
      rmSync(file, { force: true });
    }
  }

  private close(): void {
    for (const fd of [this.commitFd, this.setupFd]) if (fd !== null) closeSync(fd);
    this.commitFd = null;
    this.setupFd = null;
  }
}
