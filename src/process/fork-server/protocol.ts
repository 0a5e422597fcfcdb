// The fork server's protocol. A request is "<byte length>\n" and then NUL-separated fields:
// id, cwd, log path, argv length, argv..., then the environment as NAME=value.
// An empty request ("0\n") says the run is over: the server then exits when its input ends,
// and if the input ends without it, parex died (see script.ts). "w<pgid>" asks it to watch the
// group of a job parex spawned itself (it watches those of its own jobs from their start), and
// "f<pgid>" to forget a group parex is done with.
// A reply is one line: "S id pid" (exec succeeded), "E id stage errno" (chdir, open or exec
// failed; the child never ran; stage "regular" with errno 0: the log is not a regular file of
// one link), "X id pid wait-status time" (the process ended; time: when the server reaped it,
// in microseconds of CLOCK_MONOTONIC, or empty).
import { constants } from 'node:os';

/** What the server is asked to start. */
export interface LaunchRequest {
  readonly argv: readonly [string, ...string[]];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logPath: string;
}

/** One reply line, decoded. */
export type Reply =
  | { readonly kind: 'started'; readonly id: number; readonly pid: number }
  | { readonly kind: 'failed'; readonly id: number; readonly stage: string; readonly errno: number }
  | {
      readonly kind: 'ended';
      readonly id: number;
      readonly code: number | null;
      readonly signal: NodeJS.Signals | null;
      /** When the server reaped it, in monotonic ms (the clock of process.hrtime), if told. */
      readonly at: number | null;
    };

/** The request that says the run is over. */
export const FINISHED_REQUEST = '0\n';

/** Encodes a request to watch (`w`) or forget (`f`) a process group. */
export function encodeGroupRequest(kind: 'w' | 'f', pgid: number): string {
  const body = `${kind}${pgid}`;
  return `${body.length}\n${body}`;
}

/** Encodes a request; throws a TypeError, as spawn does, when a field holds a NUL byte. */
export function encodeRequest(id: number, request: LaunchRequest): string {
  const fields = [String(id), request.cwd, request.logPath, String(request.argv.length)];
  fields.push(...request.argv);
  for (const [name, value] of Object.entries(request.env)) {
    if (value !== undefined) fields.push(`${name}=${value}`);
  }
  if (fields.some((field) => field.includes('\0'))) {
    throw new TypeError(
      'a NUL byte in the command, its environment, its directory or its log path',
    );
  }
  const body = fields.join('\0');
  return `${Buffer.byteLength(body)}\n${body}`;
}

const SIGNAL_NAMES = new Map(
  Object.entries(constants.signals).map(([name, number]) => [number, name as NodeJS.Signals]),
);

/** Decodes one reply line; null for a line that is not one. */
export function decodeReply(line: string): Reply | null {
  const [tag, idText, first = '', second = '', third = ''] = line.split(' ');
  const id = Number(idText);
  if (!Number.isInteger(id)) return null;
  if (tag === 'S') return { kind: 'started', id, pid: Number(first) };
  if (tag === 'E') return { kind: 'failed', id, stage: first, errno: Number(second) };
  if (tag !== 'X') return null;
  const status = Number(second);
  const signalNumber = status & 0x7f;
  const at = /^\d+$/.test(third) ? Number(third) / 1000 : null;
  return signalNumber === 0
    ? { kind: 'ended', id, code: status >> 8, signal: null, at }
    : { kind: 'ended', id, code: null, signal: SIGNAL_NAMES.get(signalNumber) ?? 'SIGKILL', at };
}
