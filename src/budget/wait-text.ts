// The wait a rate-limit message asks for, in the forms the agent CLIs and HTTP servers write it:
// a duration ("Please try again in 1.5s", "Please retry in 30.2s", "Suggested retry after 30s",
// "retryDelay": "30s", "Retry-After: 7") or a clock time ("Try again at 3:04 PM.", "try again at
// Dec 29th, 2025 10:15 PM." in the local time zone, as Codex prints its usage-limit reset).

/** A number and a unit (ms, s, seconds, m, minutes; none means seconds) as milliseconds. */
function durationMs(value: string, unit: string | undefined): number {
  const number = Number(value);
  const lower = (unit ?? 's').toLowerCase();
  if (lower === 'ms' || lower.startsWith('milli')) return Math.round(number);
  if (lower === 'm' || lower.startsWith('min')) return Math.round(number * 60_000);
  return Math.round(number * 1000);
}

const UNIT = '(ms|milliseconds?|s|sec(?:onds?)?|m|min(?:utes?)?)?';

/** Duration phrases, most specific first. */
const DURATIONS: readonly RegExp[] = [
  // Google's RetryInfo, as JSON in an error body: "retryDelay": "30s".
  /"?retryDelay"?\s*[:=]\s*"?(\d+(?:\.\d+)?)(ms|s)"?/i,
  new RegExp(
    `(?:try again in|retry in|retry after|retry-after(?:-ms)?:?|resets? (?:in|after))\\s*(\\d+(?:\\.\\d+)?)\\s*${UNIT}(?![a-z])`,
    'i',
  ),
];

/** The wait a message's duration phrase asks for, in ms, or null when it names none. */
export function waitInText(text: string): number | null {
  for (const pattern of DURATIONS) {
    const match = pattern.exec(text);
    if (match?.[1] === undefined) continue;
    // "Retry-After-Ms: 250" is in milliseconds whatever follows.
    if (/retry-after-ms/i.test(match[0])) return Math.round(Number(match[1]));
    return durationMs(match[1], match[2]);
  }
  return null;
}

const CLOCK =
  /try again at (?:([A-Z][a-z]{2}) (\d{1,2})(?:st|nd|rd|th)?, (\d{4}) )?(\d{1,2}):(\d{2}) ?([AP]M)/i;

/** The wait until a clock time a message names ("try again at 3:04 PM"), in ms, or null. */
export function waitUntilClock(text: string, nowMs: number): number | null {
  const match = CLOCK.exec(text);
  if (match === null) return null;
  const [, month, day, year, hour, minute, half] = match;
  const hours = (Number(hour) % 12) + (half?.toUpperCase() === 'PM' ? 12 : 0);
  const at = month === undefined ? new Date(nowMs) : new Date(`${month} ${day}, ${year} 00:00`);
  if (Number.isNaN(at.getTime())) return null;
  at.setHours(hours, Number(minute), 0, 0);
  // A time of day alone is today's, or tomorrow's once today's has passed.
  if (month === undefined && at.getTime() <= nowMs) at.setDate(at.getDate() + 1);
  return Math.max(0, at.getTime() - nowMs);
}
