// Why an agent failed, in words: its documented exit codes, else the last error line of its log.
import { tailLines } from '../journal/log-tail.js';

/** What each CLI's documented exit codes mean (docs/agents.md). */
const EXIT_WORDS: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  gemini: {
    1: 'a general or API error',
    41: 'authentication failed: check GEMINI_API_KEY or the auth type in ~/.gemini/settings.json',
    42: 'bad input (no prompt, or an invalid flag)',
    44: 'a sandbox error',
    52: 'a configuration error (~/.gemini/settings.json, or an auth type headless mode rejects)',
    53: 'the turn limit was reached: raise maxSessionTurns in its settings',
    54: 'a tool failed',
    55: 'the folder is not trusted: leave the workflow\'s "trust" on, or trust the folder in gemini',
    130: 'cancelled',
  },
  codex: {
    1: 'the turn failed, or codex could not start it',
    2: 'a usage error: a flag or value the installed codex does not accept',
  },
  claude: {
    1: 'an error (API, turn limit, or start-up)',
  },
};

/** How many lines at the end of a log are searched for the last error. */
const SEARCHED_LINES = 60;

/** Words that mark a line of plain output as an error. */
const ERROR_WORDS =
  /error|fatal|fail|invalid|denied|refused|not running|not found|not trusted|locked|corrupt|unauthori[sz]ed|forbidden|exception|panic/i;

/** "gemini exited 55 (the folder is not trusted: ...)", or "codex exited 3" for an unknown code. */
export function exitCodeWords(agent: string, exitCode: number | null): string {
  if (exitCode === null) return `${agent} ended without an exit code`;
  const words = EXIT_WORDS[agent]?.[exitCode];
  return words === undefined
    ? `${agent} exited ${exitCode}`
    : `${agent} exited ${exitCode} (${words})`;
}

/** The last line of plain (not JSON) output that reads like an error, else the last plain line. */
export function lastErrorLine(logPath: string): string | null {
  const plain = tailLines(logPath, SEARCHED_LINES).filter((line) => !line.startsWith('{'));
  const line = plain.findLast((candidate) => ERROR_WORDS.test(candidate)) ?? plain.at(-1);
  if (line === undefined) return null;
  const trimmed = line.trim();
  return trimmed.length <= 300 ? trimmed : `${trimmed.slice(0, 299)}…`;
}

/** The reason of a failed run: what the stream said, else the exit code's words and the log's last error. */
export function failureReason(
  agent: string,
  exitCode: number | null,
  said: string | null,
  logPath: string,
): string {
  if (said !== null) return said;
  const line = lastErrorLine(logPath);
  return line === null
    ? exitCodeWords(agent, exitCode)
    : `${exitCodeWords(agent, exitCode)}: ${line}`;
}
