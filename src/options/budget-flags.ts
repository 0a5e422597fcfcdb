// Checks of the budget flags (--max-cost, --max-tokens, --limit AGENT=N), kept apart from the
// budgets themselves so that the CLI can check them without loading the price table's parsers.
import { UsageError } from '../errors.js';

/** The agents a cap may name. */
export const CAPPED_AGENTS = ['codex', 'claude', 'gemini'] as const;

/** Parses --limit AGENT=N values. */
export function parseLimitFlags(values: readonly string[]): Map<string, number> {
  const caps = new Map<string, number>();
  for (const value of values) {
    const match = /^\s*([a-z]+)\s*=\s*(\d+)\s*$/.exec(value);
    const agent = match?.[1] ?? '';
    const cap = Number(match?.[2]);
    if (match === null || !(CAPPED_AGENTS as readonly string[]).includes(agent) || cap < 1) {
      throw new UsageError(
        `--limit ${JSON.stringify(value)} is not AGENT=N with a known agent and N of 1 or more`,
        `it caps how many jobs of one agent (${CAPPED_AGENTS.join(', ')}) run at once`,
        'write it as --limit claude=2 (repeat the flag for more agents)',
      );
    }
    caps.set(agent, cap);
  }
  return caps;
}

/** Checks --max-cost: a positive number of USD. */
export function parseMaxCost(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.trim().replace(/^\$/, ''));
  if (text.trim() !== '' && Number.isFinite(value) && value > 0) return value;
  throw new UsageError(
    `--max-cost must be a number of US dollars above 0; got ${JSON.stringify(text)}`,
    'it is the most the run may spend on agents',
    'e.g. --max-cost 5 or --max-cost 0.50',
  );
}

/** Checks --max-tokens: a whole number above 0. */
export function parseMaxTokens(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (/^\s*[1-9][0-9]*\s*$/.test(text)) return Number(text);
  throw new UsageError(
    `--max-tokens must be a whole number above 0; got ${JSON.stringify(text)}`,
    'it is the most input plus output tokens the run may use',
    'e.g. --max-tokens 2000000',
  );
}
