// Every agent adapter, by name.
import { claudeAdapter } from './claude.js';
import { codexAdapter } from './codex.js';
import { commandAdapter } from './command.js';
import { geminiAdapter } from './gemini.js';
import type { AgentAdapter, AgentName } from './types.js';

/** The adapter of each agent name. */
export const ADAPTERS: Readonly<Record<AgentName, AgentAdapter>> = {
  codex: codexAdapter,
  claude: claudeAdapter,
  gemini: geminiAdapter,
  command: commandAdapter,
};
