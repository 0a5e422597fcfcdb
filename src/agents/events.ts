// Reading an agent's JSON event stream back from its log, one line at a time.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** One event of an agent's stream: a JSON object with a string `type`. */
export type AgentEvent = { readonly type: string } & Readonly<Record<string, unknown>>;

/** Yields every line of the log at `path` that is a JSON object with a `type`; skips the rest. */
export async function* readEvents(path: string): AsyncGenerator<AgentEvent> {
  const lines = createInterface({
    input: createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    const event = parseEvent(line);
    if (event !== null) yield event;
  }
}

/** The event on one line of a log, or null for a line that is not one. */
export function parseEvent(line: string): AgentEvent | null {
  if (!line.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(line);
    return isEvent(value) ? value : null;
  } catch {
    return null; // A line of plain text that starts with "{", or a torn line: not an event.
  }
}

/** The value at a path of nested objects, or undefined. */
export function pick(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A number at a path, or undefined. */
export function pickNumber(value: unknown, ...path: string[]): number | undefined {
  const found = pick(value, ...path);
  return typeof found === 'number' && Number.isFinite(found) ? found : undefined;
}

/** A string at a path, or undefined. */
export function pickString(value: unknown, ...path: string[]): string | undefined {
  const found = pick(value, ...path);
  return typeof found === 'string' ? found : undefined;
}

function isEvent(value: unknown): value is AgentEvent {
  return (
    typeof value === 'object' && value !== null && typeof (value as AgentEvent).type === 'string'
  );
}
