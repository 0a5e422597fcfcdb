// An agent's event stream as the engine's live events: each line read while the agent runs goes
// through the agent's own stream reader.
import type { OutputWatcher } from '../model/job.js';
import { parseEvent } from './events.js';
import type { AgentAdapter } from './types.js';

/** A fresh watcher of one attempt of an agent job. */
export function agentWatcher(adapter: AgentAdapter): OutputWatcher {
  const reader = adapter.reader();
  return {
    line: (text) => {
      const event = parseEvent(text);
      if (event === null) return { activity: null, usage: null };
      return { activity: reader.take(event), usage: reader.usage() };
    },
  };
}
