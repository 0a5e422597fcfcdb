// Rate limits as each agent CLI reports them, and the wait they ask for. The shapes, and where
// each comes from, are listed in docs/budgets.md ("Shared back-off on rate limits").
import { waitInText, waitUntilClock } from './wait-text.js';

/** A rate limit found in a job's output, and the wait it asks for (null: none given). */
export interface RateLimit {
  readonly waitMs: number | null;
  /** Where it was read: "rate_limit_event", "api_retry (429)", "codex usage limit", ... */
  readonly source: string;
}

/** Words of a rate limit in a plain line (a command's output, an agent's stderr). */
const PLAIN = /\b429\b|rate[ _-]?limit|too many requests/i;

/** A rate limit in one line of a job's log (an agent's JSON event or plain text), or null. */
export function rateLimitInLine(line: string, nowMs: number = Date.now()): RateLimit | null {
  if (line.startsWith('{')) {
    try {
      const event: unknown = JSON.parse(line);
      if (typeof event === 'object' && event !== null) {
        return rateLimitInEvent(event as Record<string, unknown>, nowMs);
      }
    } catch {
      // Not JSON after all: read it as text.
    }
  }
  return PLAIN.test(line) ? { waitMs: waitInText(line), source: 'rate-limit message' } : null;
}

/** A rate limit in one agent event (Claude, Codex or Gemini), or null. */
export function rateLimitInEvent(event: Record<string, unknown>, nowMs: number): RateLimit | null {
  switch (event.type) {
    case 'rate_limit_event':
      return claudeLimitEvent(event, nowMs);
    case 'system':
      return event.subtype === 'api_retry' ? claudeApiRetry(event) : null;
    case 'result':
      return event.api_error_status === 429
        ? { waitMs: waitInText(String(event.result ?? '')), source: 'api_error_status 429' }
        : geminiResult(event);
    case 'error':
      return typeof event.message === 'string' ? codexError(event.message, 'error', nowMs) : null;
    case 'turn.failed': {
      const message = (event.error as Record<string, unknown> | undefined)?.message;
      return typeof message === 'string' ? codexError(message, 'turn.failed', nowMs) : null;
    }
    default:
      return null;
  }
}

/** Claude: a request refused for the account's limit, until `resetsAt` (epoch seconds). Not
 * when extra usage ("overage") carries on. */
function claudeLimitEvent(event: Record<string, unknown>, nowMs: number): RateLimit | null {
  const info = (event.rate_limit_info ?? {}) as Record<string, unknown>;
  if (info.status !== 'rejected') return null;
  if (info.overageStatus === 'allowed' || info.overageStatus === 'allowed_warning') return null;
  const resetsAt = typeof info.resetsAt === 'number' ? info.resetsAt * 1000 : null;
  return {
    waitMs: resetsAt === null ? null : Math.max(0, resetsAt - nowMs),
    source: 'rate_limit_event',
  };
}

/** Claude retrying an API call itself after a 429 (`error: "rate_limit"`), in retry_delay_ms. */
function claudeApiRetry(event: Record<string, unknown>): RateLimit | null {
  if (event.error_status !== 429 && event.error !== 'rate_limit') return null;
  const delay = typeof event.retry_delay_ms === 'number' ? event.retry_delay_ms : null;
  return { waitMs: delay, source: 'api_retry (429)' };
}

/** Codex's error texts (codex-rs core error.rs): the account's usage limit (until "Try again at
 * TIME"), a 429 after its own retries (no wait given), or the API's "Rate limit reached ...
 * Please try again in 1.5s" in a stream error, also while it retries ("Reconnecting... 1/5"). */
function codexError(message: string, where: string, nowMs: number): RateLimit | null {
  if (/You've hit your usage limit/i.test(message)) {
    return { waitMs: waitUntilClock(message, nowMs), source: 'codex usage limit' };
  }
  if (/last status: 429\b/.test(message)) return { waitMs: null, source: `429 in ${where} event` };
  if (/Rate limit reached|rate_limit_exceeded/i.test(message)) {
    return { waitMs: waitInText(message), source: `rate limit in ${where} event` };
  }
  return null;
}

/** Gemini's error result (status "error"): "[API Error: ...]" for a 429 / RESOURCE_EXHAUSTED or
 * a quota error, the wait in "Please retry in 30s" or "Suggested retry after 30s". */
function geminiResult(event: Record<string, unknown>): RateLimit | null {
  if (event.status !== 'error') return null;
  const message = (event.error as Record<string, unknown> | undefined)?.message;
  if (typeof message !== 'string') return null;
  const limited =
    /\b429\b|RESOURCE_EXHAUSTED|exceeded your current quota|exhausted your (?:daily quota|capacity)|Quota exceeded for quota metric/i;
  if (!limited.test(message)) return null;
  return { waitMs: waitInText(message), source: 'quota error in result event' };
}
