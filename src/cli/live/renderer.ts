// How a run shows itself: a live view on a terminal, plain lines elsewhere, JSON for programs,
// or nothing. Every renderer gets the same events.
import type { GroupEvent } from '../../model/events.js';
import type { GroupResult } from '../../model/result.js';
import { DEFAULTS } from '../../options/defaults.js';
import type { OutputKind } from '../../options/output.js';
import type { Palette } from '../../report/live-frame.js';
import { applyEvent } from '../../report/live-state.js';
import { emptyLiveState } from '../../report/live-types.js';
import { groupProgressLine, progressLine } from '../../report/progress.js';

/** What a run tells its renderer. */
export interface Renderer {
  onEvent(event: GroupEvent): void;
  /** A message for the user, such as "SIGINT received". */
  note(message: string): void;
  /** The run has ended: leave the screen clean and show the summary. */
  finish(result: GroupResult | null): void | Promise<void>;
}

/** How the user asked to see the run. */
export interface OutputMode {
  readonly quiet: boolean;
  readonly json: boolean;
  /** What of the jobs' own output is shown. */
  readonly output: OutputKind;
  /** --secret-env patterns: their values are hidden in what is printed too. */
  readonly secretPatterns?: readonly string[];
}

/** What every renderer that prints text shares. */
export interface RenderSettings {
  /** Prints what follows a run: the summary, then what the output mode adds. */
  readonly afterRun: (result: GroupResult, write: (line: string) => void) => void;
  /** Whether plain lines include the group's progress (done, running, failed, ETA). */
  readonly progress: boolean;
}

/** Progress lines after a change come at most this often. */
const PROGRESS_GAP_MS = 1000;

/** Plain lines on stderr, one per event, the group's progress every 10 s and after each change,
 * then the summary: for pipes, CI and logs. */
export function plainRenderer(
  write: (line: string) => void,
  colors: Palette,
  settings: RenderSettings,
): Renderer {
  const state = emptyLiveState();
  let last = 0;
  let lastLine = '';
  let timer: NodeJS.Timeout | null = null;
  const schedule = (delay: number) => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(progress, delay);
    timer.unref();
  };
  const progress = () => {
    timer = null;
    lastLine = groupProgressLine(state, Date.now());
    write(lastLine);
    last = Date.now();
    schedule(DEFAULTS.progressEverySec * 1000);
  };
  return {
    onEvent: (event) => {
      applyEvent(state, event, Date.now());
      const line = progressLine(event);
      if (line !== null) write(colorOf(event, colors)(line));
      if (settings.progress && changes(event) && state.counts.running + state.counts.queued > 0) {
        schedule(Math.max(0, last + PROGRESS_GAP_MS - Date.now()));
      }
    },
    note: write,
    finish: (result) => {
      if (timer !== null) clearTimeout(timer);
      if (settings.progress && state.runId !== '') {
        const final = groupProgressLine(state, Date.now());
        if (final !== lastLine) write(final);
      }
      if (result !== null) settings.afterRun(result, write);
    },
  };
}

function changes(event: GroupEvent): boolean {
  return event.type === 'job-start' || event.type === 'job-end' || event.type === 'job-skip';
}

function colorOf(event: GroupEvent, colors: Palette): (text: string) => string {
  if (event.type === 'job-skip') return colors.dim;
  if (event.type === 'job-signal') return colors.yellow;
  if (event.type !== 'job-end') return (text) => text;
  return event.result.outcome === 'success' ? colors.green : colors.red;
}

/** Nothing but errors. */
export function quietRenderer(): Renderer {
  return { onEvent: () => {}, note: () => {}, finish: () => {} };
}

/** One JSON object per event on stdout, for other programs. */
export function jsonRenderer(writeOut: (line: string) => void): Renderer {
  const emit = (value: object) =>
    writeOut(JSON.stringify({ time: new Date().toISOString(), ...value }));
  return {
    onEvent: (event) =>
      emit(event.type === 'run-end' ? { type: 'run-end', ok: event.result.ok } : event),
    note: (message) => emit({ type: 'note', message }),
    finish: (result) => {
      if (result !== null) emit({ type: 'summary', ...result });
    },
  };
}
