// Spend, budgets and rate-limit pauses in words, for the progress lines, the live view, the
// summary and the report: "$0.0123", "12.3k tokens", "claude paused 30s (rate limit)".
import type { GroupEvent } from '../model/events.js';
import type { Spend } from '../model/outcome.js';

/** A cost in USD: four decimals below a dollar, two above; "-" when unknown. */
export function formatCost(usd: number | null): string {
  if (usd === null) return '-';
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** A token count for people: 950, 12.3k, 4.56M. */
export function formatTokens(tokens: number): string {
  if (tokens < 1000) return String(tokens);
  if (tokens < 1_000_000) return `${(tokens / 1000).toFixed(1)}k`;
  return `${(tokens / 1_000_000).toFixed(2)}M`;
}

/** A spend as one short phrase: "$0.0123 (estimated), 12.3k tokens". */
export function formatSpend(spend: Spend): string {
  const source = spend.cost_source === 'reported' ? '' : ` (${spend.cost_source})`;
  return `${formatCost(spend.cost_usd)}${source}, ${formatTokens(spend.tokens)} tokens`;
}

/** "claude paused 30s (rate limit)". */
export function formatPause(provider: string, waitMs: number, reason: string): string {
  return `${provider} paused ${Math.ceil(waitMs / 1000)}s (${reason})`;
}

/** The line for a budget event: its warning line (80%) or the limit reached. */
export function formatBudgetEvent(event: Extract<GroupEvent, { type: 'budget' }>): string {
  const what = event.scope === 'run' ? 'the run' : `phase ${event.scope}`;
  const amount = (value: number) =>
    event.limit === 'cost_usd' ? formatCost(value) : `${formatTokens(value)} tokens`;
  const share = Math.round((event.spent / event.max) * 100);
  if (event.level === 'warning') {
    return `budget warning: ${what} has spent ${amount(event.spent)}, ${share}% of its ${amount(event.max)}`;
  }
  const stops =
    event.scope === 'run'
      ? 'no new agent job starts and running ones are stopped'
      : `no new agent job of phase ${event.scope} starts and its running ones are stopped`;
  return `budget reached: ${what} has spent ${amount(event.spent)} of its ${amount(event.max)}; ${stops}`;
}
