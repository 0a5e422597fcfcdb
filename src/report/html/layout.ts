// The fixed geometry of the HTML report, so that a test can compute where every bar is drawn.
//
// The page has no margin and a fixed width; every block above the timeline rows has a fixed
// height (text that does not fit is cut with an ellipsis), so the layout does not depend on the
// fonts installed or on the window's width. In page pixels (CSS px, device scale factor 1):
//
//   the run's first start   = the job with the earliest started_at (skipped jobs aside)
//   offsetMs                = started_at - first start;   durationMs = the bar's data-duration-ms
//   extent                  = the latest bar end (offsetMs + durationMs), or the wall time if later
//   axisMs                  = axisFor(extent).endMs       (data-axis-ms on the timeline)
//   bar left   (page x)     = TRACK_LEFT + round(offsetMs / axisMs * TRACK_WIDTH)
//   bar right  (page x)     = TRACK_LEFT + round((offsetMs + durationMs) / axisMs * TRACK_WIDTH),
//                             widened to at least MIN_BAR_WIDTH pixels
//   bar top    (page y)     = ROWS_TOP + row * ROW_HEIGHT + BAR_INSET   (row: data-row, 0-based)
//   bar height              = BAR_HEIGHT
//
// `barGeometry` computes exactly these numbers; the renderer uses it for the inline styles.
import type { JobState } from '../run-view.js';

/** Left and right padding of the page. */
export const PAGE_PADDING = 24;
/** Width of the job names column left of the time track. */
export const LABEL_WIDTH = 216;
/** Width of the time track: the axis end is at its right edge. */
export const TRACK_WIDTH = 1000;
/** Page x of the run's first start. */
export const TRACK_LEFT = PAGE_PADDING + LABEL_WIDTH;
/** Width of the page's content. */
export const CONTENT_WIDTH = LABEL_WIDTH + TRACK_WIDTH + 40;

/** Heights of the blocks above the timeline rows, top to bottom. */
export const HEADER_HEIGHT = 64;
export const FIGURES_HEIGHT = 128;
export const FIGURES_GAP = 16;
export const TIMELINE_TITLE_HEIGHT = 36;
export const LEGEND_HEIGHT = 28;
export const AXIS_HEIGHT = 24;
/** Page y of the top of the first timeline row. */
export const ROWS_TOP =
  HEADER_HEIGHT +
  FIGURES_HEIGHT +
  FIGURES_GAP +
  TIMELINE_TITLE_HEIGHT +
  LEGEND_HEIGHT +
  AXIS_HEIGHT;

/** Height of one timeline row, and of a bar within it (centred). */
export const ROW_HEIGHT = 28;
export const BAR_HEIGHT = 18;
export const BAR_INSET = (ROW_HEIGHT - BAR_HEIGHT) / 2;
/** A bar is never narrower than this, so that a 5 ms job is still visible. */
export const MIN_BAR_WIDTH = 3;

/** The colour of each state's bars (skipped jobs have no bar); stalled: stopped for silence. */
export const OUTCOME_COLOURS: Readonly<Record<Exclude<JobState, 'skipped'>, string>> = {
  success: '#2e9d46',
  failed: '#d93025',
  timeout: '#f28c18',
  stalled: '#d6338a',
  killed: '#7a1111',
  cancelled: '#9aa0a6',
  conflict: '#b8860b',
  setup_failed: '#c0392b',
  lost: '#8e44ad',
  running: '#1a73e8',
  spawn_error: '#000000',
  budget: '#b8860b',
};

/** Tick steps in milliseconds, from 1 ms to a day, each a round number on a clock. */
const STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000,
  300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000,
  86_400_000,
];
/** At most this many intervals between ticks. */
const MAX_TICKS = 8;

/** The time axis: its end (the track's right edge) and the step between ticks. */
export interface Axis {
  readonly endMs: number;
  readonly stepMs: number;
}

/** The axis for a run whose bars end at most `extentMs` after the first start. */
export function axisFor(extentMs: number): Axis {
  const extent = extentMs > 0 ? extentMs : 1000;
  const stepMs =
    STEPS.find((step) => Math.ceil(extent / step) <= MAX_TICKS) ??
    Math.ceil(extent / MAX_TICKS / 86_400_000) * 86_400_000;
  return { endMs: Math.max(1, Math.ceil(extent / stepMs)) * stepMs, stepMs };
}

/** Where a bar is drawn on the track, in pixels from the track's left edge. */
export function barGeometry(
  offsetMs: number,
  durationMs: number,
  axisMs: number,
): { left: number; width: number } {
  const px = (ms: number) => Math.round((Math.max(0, ms) / axisMs) * TRACK_WIDTH);
  const left = Math.min(px(offsetMs), TRACK_WIDTH - MIN_BAR_WIDTH);
  const right = px(offsetMs + durationMs);
  return { left, width: Math.max(MIN_BAR_WIDTH, right - left) };
}

/** The label of a tick at `ms`, as precise as the step needs. */
export function tickLabel(ms: number, stepMs: number): string {
  if (stepMs < 1000) return `${(ms / 1000).toFixed(stepMs < 10 ? 3 : stepMs < 100 ? 2 : 1)}s`;
  if (ms < 60_000) return `${ms / 1000}s`;
  const seconds = Math.round(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m`;
  return rest === 0 ? `${minutes}m` : `${minutes}m${String(rest).padStart(2, '0')}s`;
}
