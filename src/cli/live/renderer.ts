// How a run shows itself: a live view on a terminal, plain lines elsewhere, JSON for programs,
// or nothing. Every renderer gets the same events.
import type { GroupEvent, GroupResult } from '../../model.js';
import type { Palette } from '../../report/live-frame.js';
import { progressLine } from '../../report/progress.js';
import { formatSummary } from '../../report/summary.js';

/** What a run tells its renderer. */
export interface Renderer {
  onEvent(event: GroupEvent): void;
  /** A message for the user, such as "SIGINT received". */
  note(message: string): void;
  /** The run has ended: leave the screen clean and show the summary. */
  finish(result: GroupResult | null): void;
}

/** How the user asked to see the run. */
export interface OutputMode {
  readonly quiet: boolean;
  readonly json: boolean;
}

/** Plain lines on stderr, one per event, then the summary: for pipes, CI and logs. */
export function plainRenderer(write: (line: string) => void, colors: Palette): Renderer {
  return {
    onEvent: (event) => {
      const line = progressLine(event);
      if (line !== null) write(colorOf(event, colors)(line));
    },
    note: write,
    finish: (result) => {
      if (result !== null) for (const line of formatSummary(result)) write(line);
    },
  };
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
