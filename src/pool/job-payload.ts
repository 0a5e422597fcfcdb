// What travels to a worker for one attempt: the job's BullMQ data (argv, stdin, deadlines,
// declared env, the variables --pass-env names, inputs or an isolated job's workspace, side
// files), built on the coordinator before the attempt is queued.
import { hostname } from 'node:os';
import path from 'node:path';

import type { AttemptRequest } from '../engine/executor.js';
import type { GroupPlan, PlannedJob } from '../options/normalize.js';
import { matchesPattern } from '../options/secrets.js';
import { packFiles } from './files.js';
import { type JobPayload, PROTOCOL_VERSION } from './protocol.js';
import { sidesOut } from './side-files.js';
import { workspacePayload } from './workspace-exchange.js';

/** An attempt's payload and where its files live here, or why its inputs cannot travel. */
export type BuiltPayload =
  | {
      readonly payload: JobPayload;
      readonly filesRoot: string;
      /** Where each side file the worker sends back belongs here, by its payload name. */
      readonly sides: ReadonlyMap<string, string>;
    }
  | { readonly error: string; readonly filesRoot: string };

/** Builds the payload of one attempt of `job`; `passed` are the variables --pass-env names. */
export function buildPayload(
  plan: GroupPlan,
  job: PlannedJob,
  request: AttemptRequest,
  passed: Readonly<Record<string, string>>,
): BuiltPayload {
  const cwd = request.cwd;
  const relative = path.relative(plan.cwd, cwd);
  const filesRoot = relative.startsWith('..') || path.isAbsolute(relative) ? plan.cwd : cwd;
  const workspace =
    job.workspace === undefined ? null : workspacePayload(job.workspace, plan.cwd, plan.onWarning);
  // An isolated job's files are in its start commit and come back in its commit.
  const inputs = workspace === null ? packFiles(filesRoot, job.inputs, 'input') : workspace;
  if ('error' in inputs) return { error: inputs.error, filesRoot };
  // The coordinator's own paths in argv, env and stdin (last message, per-job home, a judge's
  // candidate patches) never travel; the files the job reads go with it.
  const env = { ...passed, ...job.env };
  const sides = sidesOut(job.sideFiles ?? [], job.argv, env, cwd, job.input, job.name);
  if ('error' in sides) return { error: sides.error, filesRoot };
  // The command as the manifest shows it, sent only when it hides something.
  const shownArgv = sides.argv.map((arg) => plan.redactor.text(arg));
  const hides = shownArgv.some((arg, i) => arg !== sides.argv[i]);
  const payload: JobPayload = {
    v: PROTOCOL_VERSION,
    run: plan.runId,
    name: job.name,
    attempt: job.attempt,
    coordinator: { host: hostname(), pid: process.pid },
    argv: sides.argv,
    input: sides.input === null ? null : sides.input.toString('base64'),
    env: sides.env,
    cwd: filesRoot === cwd && workspace === null ? relative : '',
    timeoutMs: request.timeoutMs,
    idleMs: request.idleMs,
    graceMs: request.graceMs,
    stopSignals: request.stopSignals,
    inputs: 'files' in inputs ? inputs.files : [],
    outputs: 'files' in inputs ? relativeInside(filesRoot, job.outputs) : [],
    ...(hides ? { shownArgv } : {}),
    ...(sides.side.length === 0 ? {} : { side: sides.side }),
    ...('payload' in inputs ? { workspace: inputs.payload } : {}),
    secretPatterns: plan.secretPatterns,
  };
  return { payload, filesRoot, sides: sides.places };
}

/** The variables of `env` that one of `patterns` (--pass-env) names. */
export function passedEnv(
  env: Readonly<Record<string, string | undefined>>,
  patterns: readonly string[],
): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && patterns.some((pattern) => matchesPattern(name, pattern)))
      passed[name] = value;
  }
  return passed;
}

/** `paths` relative to `root`, leaving out those outside it (they cannot travel). */
function relativeInside(root: string, paths: readonly string[]): string[] {
  return paths
    .map((file) => path.relative(root, path.resolve(root, file)))
    .filter((file) => !file.startsWith('..') && !path.isAbsolute(file));
}
