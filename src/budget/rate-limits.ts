// Rate limits as each agent reports them, and the wait they ask for: Claude's rate_limit_event
// (status "rejected", resetsAt) and system/api_retry (error_status 429, retry_delay_ms), an
// HTTP 429 or "rate limit" in Codex's and Gemini's error events, or in any plain line.

/** A rate limit found in a job's output, and the wait it asks for (null: none given). */
export interface RateLimit {
  readonly waitMs: number | null;
  /** Where it was read: "rate_limit_event", "api_retry", "429 in error event", ... */
  readonly source: string;
}

/** Words of a rate-limit (or quota) error. */
const RATE_LIMITED = /\b429\b|rate[ _-]?limit|too many requests|RESOURCE_EXHAUSTED|quota exceeded/i;

/** A rate limit in one line of a job's log (a JSON event or plain text), or null. */
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
  return RATE_LIMITED.test(line)
    ? { waitMs: waitInText(line), source: 'rate-limit message' }
    : null;
}

/** A rate limit in one agent event, or null. */
export function rateLimitInEvent(event: Record<string, unknown>, nowMs: number): RateLimit | null {
  if (event.type === 'rate_limit_event') {
    const info = (event.rate_limit_info ?? {}) as Record<string, unknown>;
    if (info.status !== 'rejected') return null;
    const resetsAt = typeof info.resetsAt === 'number' ? info.resetsAt * 1000 : null;
    return {
      waitMs: resetsAt === null ? null : Math.max(0, resetsAt - nowMs),
      source: 'rate_limit_event',
    };
  }
  if (event.type === 'system' && event.subtype === 'api_retry') {
    if (event.error_status !== 429) return null;
    const delay = typeof event.retry_delay_ms === 'number' ? event.retry_delay_ms : null;
    return { waitMs: delay, source: 'api_retry (429)' };
  }
  if (event.type === 'result' && event.api_error_status === 429) {
    return { waitMs: waitInText(String(event.result ?? '')), source: 'api_error_status 429' };
  }
  const text = errorText(event);
  if (text !== null && RATE_LIMITED.test(text)) {
    return { waitMs: waitInText(text), source: `rate limit in ${String(event.type)} event` };
  }
  return null;
}

/** The wait an error message asks for: "retry after 30", "try again in 4.2s", "retryDelay":"20s". */
export function waitInText(text: string): number | null {
  const match =
    /(?:retry[- ]after|try again in|retry in|reset(?:s)? (?:after|in))[:\s]*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|sec(?:onds?)?|m|min(?:utes?)?)?\b/i.exec(
      text,
    ) ?? /"?retryDelay"?\s*[:=]\s*"?(\d+(?:\.\d+)?)(s|ms)"?/i.exec(text);
  if (match === null) return null;
  const value = Number(match[1]);
  const unit = (match[2] ?? 's').toLowerCase();
  if (unit.startsWith('ms') || unit.startsWith('milli')) return Math.round(value);
  if (unit.startsWith('m')) return Math.round(value * 60_000);
  return Math.round(value * 1000);
}

/** The error text of Codex's error/turn.failed and Gemini's error/result events. */
function errorText(event: Record<string, unknown>): string | null {
  if (event.type === 'error' && typeof event.message === 'string') return event.message;
  const error = event.error as Record<string, unknown> | undefined;
  if (
    (event.type === 'turn.failed' || event.type === 'result') &&
    typeof error?.message === 'string'
  ) {
    return error.message;
  }
  return null;
}
