// One frame of the live view: a header with counts and wall time, then one line per job with
// its state, its time against its timeout, and the last line of its output.
import { formatDuration, formatSeconds } from './format.js';
import { countJobs, type LiveJob, type LiveState } from './live-state.js';
import { describeOutcome } from './outcome-words.js';
import { formatUsage } from './tokens.js';

/** Colouring functions; identity functions when colour is off. */
export interface Palette {
  readonly green: (text: string) => string;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly cyan: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** The frame as lines, each cut to `width` columns; `lastLine` gives a running job's latest output. */
export function renderFrame(
  state: LiveState,
  now: number,
  width: number,
  palette: Palette,
  lastLine: (logPath: string) => string,
): string[] {
  const counts = countJobs(state);
  const header = `parex ${state.runId}  ${formatDuration(Math.max(0, now - state.startedAt))}  ${counts.queued} queued · ${counts.running} running · ${counts.done} done · ${counts.failed} failed`;
  const nameWidth = Math.min(24, Math.max(4, ...state.jobs.map((job) => job.name.length)));
  const spin = SPINNER[Math.floor(now / 100) % SPINNER.length] ?? '*';
  const lines = [palette.bold(cut(header, width))];
  for (const job of state.jobs) {
    const name =
      job.name.length > nameWidth
        ? `${job.name.slice(0, nameWidth - 1)}…`
        : job.name.padEnd(nameWidth);
    const [symbol, rest, colour] = describe(job, now, spin, palette, lastLine);
    // Cut before colouring, so that escape sequences never count against the width.
    const plain = cut(`  ${symbol} ${name}  ${rest}`, width);
    lines.push(colour(plain));
  }
  return lines;
}

function describe(
  job: LiveJob,
  now: number,
  spin: string,
  palette: Palette,
  lastLine: (logPath: string) => string,
): [string, string, (text: string) => string] {
  if (job.state === 'queued') return ['·', 'queued', palette.dim];
  if (job.state === 'done') {
    const { result } = job;
    const time = result.pid === null ? '' : `${formatDuration(result.durationMs)}  `;
    if (result.outcome === 'success') return ['✔', `${time}SUCCESS`, palette.green];
    if (result.outcome === 'skipped') return ['↷', describeOutcome(result), palette.dim];
    return ['✖', `${time}${describeOutcome(result)}`, palette.red];
  }
  const elapsed = formatDuration(now - job.startedAt);
  const limit = job.timeoutSec > 0 ? ` / ${formatSeconds(job.timeoutSec)}` : '';
  const stopping = job.state === 'stopping' ? 'stopping… ' : '';
  // An agent's row: what it is doing in words, and its tokens so far; else the log's last line.
  const tokens = job.usage === undefined ? '' : `[${formatUsage(job.usage)}] `;
  // Until its first activity, an agent's raw JSON event is not shown either.
  const last = job.activity ?? lastLine(job.logPath);
  const output = `${tokens}${job.agent === true && job.activity === undefined && last.startsWith('{') ? '' : last}`;
  return [
    spin,
    `${(elapsed + limit).padEnd(16)}${stopping}${output}`,
    job.state === 'stopping' ? palette.yellow : palette.cyan,
  ];
}

/** Cuts a line to `width` columns (one per code point), marking the cut with "…". */
export function cut(line: string, width: number): string {
  const chars = [...line];
  return chars.length <= width ? line : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}
