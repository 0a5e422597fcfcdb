// An agent's log in words: each event line of its stream becomes its readable line (or nothing),
// and every other line (what it wrote to stderr) stays as it is.
import { parseEvent } from './events.js';
import { ADAPTERS } from './registry.js';
import { AGENT_NAMES, type AgentName } from './types.js';

/** Turns one line of the log into what `parex logs` prints; null prints nothing. */
export type LineTranslator = (line: string) => string | null;

/** The translator of `agent`'s stream, or null for a job that is no agent (printed as written). */
export function readableLog(agent: string | null): LineTranslator | null {
  if (agent === null || !AGENT_NAMES.includes(agent as AgentName)) return null;
  const adapter = ADAPTERS[agent as AgentName];
  if (adapter.binary === null) return null;
  const reader = adapter.reader();
  return (line) => {
    const event = parseEvent(line);
    return event === null ? line : reader.take(event);
  };
}
