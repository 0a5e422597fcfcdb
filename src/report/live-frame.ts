// One frame of the live view, never taller than the terminal: a header (run, wall time, counts,
// ETA, log directory), then the running and stopping jobs, then the latest failures, then as
// many queued jobs (and, when room is left, latest successes) as fit, and one line for the
// rest. When every job fits, every job is shown.
import { formatBudgetEvent, formatCost, formatPause, formatSpend } from './budget-words.js';
import { estimateRemainingMs } from './eta.js';
import { displayPath, formatDuration, formatSeconds } from './format.js';
import { bucketOf, find, jobAt, pendingNeeds, runningJobs } from './live-state.js';
import type { LiveJob, LiveSpend, LiveState } from './live-types.js';
import { describeOutcome } from './outcome-words.js';
import { cut, padColumns } from './text-width.js';
import { formatUsage } from './tokens.js';

export { cut } from './text-width.js';

/** Colouring functions; identity functions when colour is off. */
export interface Palette {
  readonly green: (text: string) => string;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly cyan: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

/** The space a frame may take. */
export interface FrameSize {
  /** Columns per line. */
  readonly width: number;
  /** Lines at most. */
  readonly rows: number;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** The frame as lines, each cut to `size.width` columns, at most `size.rows` of them;
 * `lastLine` gives a job's latest output line. */
export function renderFrame(
  state: LiveState,
  now: number,
  size: FrameSize,
  palette: Palette,
  lastLine: (logPath: string) => string,
): string[] {
  const { width } = size;
  const header = [
    palette.bold(cut(headerText(state, now), width)),
    palette.dim(cut(`  logs: ${displayPath(state.logDir)}`, width)),
    ...(state.spend === undefined ? [] : [palette.yellow(cut(spendLine(state.spend, now), width))]),
  ].slice(0, Math.max(1, size.rows));
  const room = size.rows - header.length;
  if (room <= 0) return header;
  const spin = SPINNER[Math.floor(now / 100) % SPINNER.length] ?? '*';
  const row = (job: LiveJob) => {
    const spent = state.spend?.jobs[job.name];
    const [symbol, rest, colour] = describe(
      state,
      job,
      now,
      spin,
      palette,
      lastLine,
      spent?.cost_usd,
    );
    const name = padColumns(cut(job.name, state.nameWidth), state.nameWidth);
    // Cut before colouring, so that escape sequences never count against the width.
    return colour(cut(`  ${symbol} ${name}  ${rest}`, width));
  };
  if (state.names.length <= room) {
    const every = Array.from({ length: state.names.length }, (_, at) => jobAt(state, at));
    if (every.every((job) => job !== undefined)) return [...header, ...every.map(row)];
  }
  const shown = chooseRows(state, room - 1);
  return [...header, ...shown.map(row), palette.dim(cut(foldLine(state, shown), width))];
}

/** The first line: run id, wall time, counts and the ETA. */
function headerText(state: LiveState, now: number): string {
  const { queued, running, succeeded, failed, cancelled, skipped, notStarted } = state.counts;
  const extra = [
    cancelled > 0 ? ` · ${cancelled} cancelled` : '',
    skipped > 0 ? ` · ${skipped} skipped` : '',
    notStarted > 0 ? ` · ${notStarted} not started` : '',
  ].join('');
  const eta = estimateRemainingMs(state, now);
  const etaText = eta === null || eta === 0 ? '' : `  ETA ${formatDuration(eta)}`;
  return `parex ${state.runId}  ${formatDuration(Math.max(0, now - state.startedAt))}  ${queued} queued · ${running} running · ${succeeded} done · ${failed} failed${extra}${etaText}`;
}

/** Running and stopping jobs first, then the latest failures, then the next queued jobs, then
 * the latest successes if there is still room. */
function chooseRows(state: LiveState, room: number): LiveJob[] {
  const running = runningJobs(state).slice(0, Math.max(0, room));
  const queued: LiveJob[] = [];
  while (
    state.queuedFrom < state.names.length &&
    jobAt(state, state.queuedFrom)?.state !== 'queued'
  )
    state.queuedFrom += 1;
  for (let at = state.queuedFrom; at < state.names.length && queued.length < room; at += 1) {
    const job = jobAt(state, at);
    if (job?.state === 'queued') queued.push(job);
  }
  const failures = latest(state, state.failures, room - running.length, false);
  const next = queued.slice(0, Math.max(0, room - running.length - failures.length));
  const left = room - running.length - failures.length - next.length;
  return [...running, ...failures, ...latest(state, state.successes, left, true), ...next];
}

/** Up to `count` of the jobs named last in `ended` that are still done with(out) success. */
function latest(
  state: LiveState,
  ended: readonly string[],
  count: number,
  success: boolean,
): LiveJob[] {
  const chosen: LiveJob[] = [];
  const seen = new Set<string>();
  for (let at = ended.length - 1; at >= 0 && chosen.length < count; at -= 1) {
    const name = ended[at] as string;
    const job = find(state, name);
    if (seen.has(name) || job?.state !== 'done' || (job.result.outcome === 'success') !== success)
      continue;
    seen.add(name);
    chosen.unshift(job);
  }
  return chosen;
}

/** "+N queued, +M done (K failed)" for the jobs the frame has no room for. */
function foldLine(state: LiveState, shown: readonly LiveJob[]): string {
  const hidden = { ...state.counts };
  for (const job of shown) hidden[bucketOf(job)] -= 1;
  const done = hidden.succeeded + hidden.failed + hidden.cancelled + hidden.skipped;
  const why = [
    `${hidden.failed} failed`,
    hidden.cancelled > 0 ? `${hidden.cancelled} cancelled` : null,
    hidden.skipped > 0 ? `${hidden.skipped} skipped` : null,
  ];
  const parts = [
    hidden.running > 0 ? `+${hidden.running} running` : null,
    `+${hidden.queued} queued`,
    `+${done} done (${why.filter((part) => part !== null).join(', ')})`,
    hidden.notStarted > 0 ? `+${hidden.notStarted} not started` : null,
  ];
  return `  ${parts.filter((part) => part !== null).join(', ')}`;
}

function describe(
  state: LiveState,
  job: LiveJob,
  now: number,
  spin: string,
  palette: Palette,
  lastLine: (logPath: string) => string,
  cost: number | null | undefined,
): [string, string, (text: string) => string] {
  if (job.state === 'queued') {
    const waiting = pendingNeeds(state, job.name);
    return ['·', waiting.length > 0 ? `waiting for ${waiting.join(', ')}` : 'queued', palette.dim];
  }
  if (job.state === 'not_started') return ['·', 'not started', palette.dim];
  if (job.state === 'done') {
    const { result } = job;
    const time = result.pid === null ? '' : `${formatDuration(result.durationMs)}  `;
    if (result.outcome === 'success') return ['✔', `${time}SUCCESS`, palette.green];
    if (result.outcome === 'skipped') return ['↷', describeOutcome(result), palette.dim];
    const output = result.pid === null ? '' : lastLine(result.logPath);
    const text = `${time}${describeOutcome(result)}${output === '' ? '' : `  ${output}`}`;
    return ['✖', text, result.outcome === 'cancelled' ? palette.yellow : palette.red];
  }
  const elapsed = formatDuration(now - job.startedAt);
  const limit = job.timeoutSec > 0 ? ` / ${formatSeconds(job.timeoutSec)}` : '';
  const stopping = job.state === 'stopping' ? 'stopping… ' : '';
  // An agent's row: what it is doing in words, its spend and tokens so far; else the log's last line.
  const spent = cost === undefined ? '' : `${formatCost(cost)} `;
  const tokens = job.usage === undefined ? '' : `[${formatUsage(job.usage)}] `;
  // Until its first activity, an agent's raw JSON event is not shown either.
  const last = job.activity ?? lastLine(job.logPath);
  const output = `${spent}${tokens}${job.agent === true && job.activity === undefined && last.startsWith('{') ? '' : last}`;
  return [
    spin,
    `${(elapsed + limit).padEnd(16)}${stopping}${output}`,
    job.state === 'stopping' ? palette.yellow : palette.cyan,
  ];
}

/** The line under the header: the run's spend, the last budget event, the paused providers. */
function spendLine(spend: LiveSpend, now: number): string {
  const parts = [spend.run === null ? 'spent nothing yet' : `spent ${formatSpend(spend.run)}`];
  if (spend.budget !== null) parts.push(formatBudgetEvent(spend.budget));
  for (const [provider, pause] of Object.entries(spend.pauses)) {
    if (pause.until > now) parts.push(formatPause(provider, pause.until - now, pause.reason));
  }
  return `  ${parts.join(' · ')}`;
}
