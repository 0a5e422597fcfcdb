// The timeline of the HTML report: one row per job, one bar per started job at its start offset
// and as wide as its duration, coloured by outcome, with a legend, a time axis and hover details.
// Positions follow layout.ts; each bar carries data-job, data-row, data-state, data-start-ms and
// data-duration-ms so that a test can find it.
import type { RunReport } from '../analysis.js';
import type { JobView } from '../run-view.js';
import {
  type Axis,
  axisFor,
  barGeometry,
  LABEL_WIDTH,
  OUTCOME_COLOURS,
  ROW_HEIGHT,
  ROWS_TOP,
  TRACK_LEFT,
  TRACK_WIDTH,
  tickLabel,
} from './layout.js';
import { esc, escLines, jobDetails } from './markup.js';

/** Width of the hover panel. */
const TIP_WIDTH = 420;

/** A job's bar before layout: where it starts and how long it is, from the first start. */
interface Span {
  readonly offsetMs: number;
  readonly durationMs: number;
  /** The job has no end (lost): the bar is drawn to the end of the axis. */
  readonly open: boolean;
}

/** The run's first start: the earliest start of an attempt (skipped jobs never ran). */
export function timelineOrigin(report: Pick<RunReport, 'jobs' | 'startedAt'>): Date | null {
  const starts = report.jobs
    .filter((job) => job.state !== 'skipped' && job.startedAt !== null)
    .map((job) => (job.startedAt as Date).getTime());
  if (report.startedAt !== null) starts.push(report.startedAt.getTime());
  return starts.length === 0 ? null : new Date(Math.min(...starts));
}

/** The timeline section. */
export function renderTimeline(report: RunReport): string {
  const origin = timelineOrigin(report);
  const spans = report.jobs.map((job) => spanOf(job, origin));
  const extent = Math.max(
    report.wallMs,
    ...spans.map((span) => (span === null ? 0 : span.offsetMs + span.durationMs)),
  );
  const axis = axisFor(extent);
  const critical = new Set(report.criticalJobs);
  const earlier = earlierAttempts(report, origin);
  const rows = report.jobs.map((job, index) => {
    const span = spans[index] ?? null;
    const drawn =
      span?.open === true
        ? { ...span, durationMs: Math.max(0, Math.round(extent) - span.offsetMs) }
        : span;
    const retries = (earlier.get(job.name) ?? []).map((attempt) =>
      attemptBar(job, index, attempt, axis),
    );
    return renderRow(job, index, drawn, axis, critical.has(job.name), origin, retries.join(''));
  });
  return [
    `<section class="timeline" data-axis-ms="${axis.endMs}" data-origin="${origin?.toISOString() ?? ''}" data-track-left="${TRACK_LEFT}" data-track-width="${TRACK_WIDTH}" data-rows-top="${ROWS_TOP}" data-row-height="${ROW_HEIGHT}">`,
    '<h2>Timeline</h2>',
    renderLegend(),
    renderAxis(axis),
    `<div class="rows" style="height:${Math.max(1, report.jobs.length) * ROW_HEIGHT}px">`,
    ...gridLines(axis),
    ...rows,
    report.jobs.length === 0 ? '<div class="note" style="left:0">no jobs</div>' : '',
    '</div>',
    '</section>',
  ].join('\n');
}

function spanOf(job: JobView, origin: Date | null): Span | null {
  if (job.state === 'skipped' || job.startedAt === null || origin === null) return null;
  const offsetMs = Math.max(0, job.startedAt.getTime() - origin.getTime());
  return job.durationMs === null
    ? { offsetMs, durationMs: 0, open: true }
    : { offsetMs, durationMs: Math.max(0, Math.round(job.durationMs)), open: false };
}

/** Each job's attempts before its last, as spans from the origin, with their outcomes. */
function earlierAttempts(
  report: RunReport,
  origin: Date | null,
): Map<string, (Span & { attempt: number; outcome: string })[]> {
  const byJob = new Map<string, (Span & { attempt: number; outcome: string })[]>();
  if (origin === null) return byJob;
  const last = new Map<string, number>();
  for (const attempt of report.attempts) {
    last.set(attempt.name, Math.max(last.get(attempt.name) ?? 0, attempt.attempt ?? 1));
  }
  for (const attempt of report.attempts) {
    const number = attempt.attempt ?? 1;
    if (number === last.get(attempt.name)) continue;
    const offsetMs = Math.max(0, attempt.startedAt.getTime() - origin.getTime());
    const span = { offsetMs, durationMs: Math.round(attempt.durationMs), open: false };
    byJob.set(attempt.name, [
      ...(byJob.get(attempt.name) ?? []),
      { ...span, attempt: number, outcome: attempt.outcome },
    ]);
  }
  return byJob;
}

/** The bar of an attempt that was retried: in the job's row, in its own outcome's colour. */
function attemptBar(
  job: JobView,
  index: number,
  attempt: Span & { attempt: number; outcome: string },
  axis: Axis,
): string {
  const { left, width } = barGeometry(attempt.offsetMs, attempt.durationMs, axis.endMs);
  const colour = OUTCOME_COLOURS[attempt.outcome as keyof typeof OUTCOME_COLOURS] ?? '#8c959f';
  const title = esc(`${job.name}, attempt ${attempt.attempt}: ${attempt.outcome}, retried`);
  return `<div class="bar attempt" data-job="${esc(job.name)}" data-attempt="${attempt.attempt}" data-row="${index}" data-state="${esc(attempt.outcome)}" data-start-ms="${attempt.offsetMs}" data-duration-ms="${attempt.durationMs}" style="left:${LABEL_WIDTH + left}px;width:${width}px;background:${colour};opacity:.6" title="${title}"></div>`;
}

function renderLegend(): string {
  const keys = Object.entries(OUTCOME_COLOURS).map(
    ([state, colour]) =>
      `<span class="key" data-state="${state}"><i style="background:${colour}"></i>${state}</span>`,
  );
  return [
    '<div class="legend">',
    ...keys,
    '<span class="key"><i class="none"></i>skipped (no bar)</span>',
    '<span class="key"><i class="crit"></i>critical path</span>',
    '</div>',
  ].join('');
}

function renderAxis(axis: Axis): string {
  const ticks: string[] = [];
  for (let ms = 0; ms <= axis.endMs; ms += axis.stepMs) {
    const x = LABEL_WIDTH + Math.round((ms / axis.endMs) * TRACK_WIDTH);
    ticks.push(`<span class="tick" style="left:${x}px">${esc(tickLabel(ms, axis.stepMs))}</span>`);
  }
  return `<div class="axis">${ticks.join('')}</div>`;
}

function gridLines(axis: Axis): string[] {
  const lines: string[] = [];
  for (let ms = 0; ms <= axis.endMs; ms += axis.stepMs) {
    const x = LABEL_WIDTH + Math.round((ms / axis.endMs) * TRACK_WIDTH);
    lines.push(`<i class="grid" style="left:${Math.min(x, LABEL_WIDTH + TRACK_WIDTH - 1)}px"></i>`);
  }
  return lines;
}

function renderRow(
  job: JobView,
  index: number,
  span: Span | null,
  axis: Axis,
  critical: boolean,
  origin: Date | null,
  retries = '',
): string {
  const details = jobDetails(job, origin);
  const title = escLines(details.map(([label, value]) => `${label}: ${value}`));
  const classes = ['row', index % 2 === 1 ? 'odd' : '', critical ? 'critical' : '']
    .filter(Boolean)
    .join(' ');
  const attempts = job.attempts > 1 ? ` <small>×${job.attempts}</small>` : '';
  const label = `<div class="label" title="${title}">${esc(job.name)}${attempts} <small>${esc(job.state)}</small></div>`;
  let body: string;
  let tipLeft = LABEL_WIDTH;
  if (span === null || job.state === 'skipped') {
    const why = job.state === 'skipped' ? `skipped: ${job.reason ?? 'not run'}` : 'never started';
    body = `<div class="note" style="left:${LABEL_WIDTH + 8}px">${esc(why)}</div>`;
  } else {
    const { left, width } = barGeometry(span.offsetMs, span.durationMs, axis.endMs);
    const colour = OUTCOME_COLOURS[job.state];
    tipLeft = LABEL_WIDTH + Math.max(0, Math.min(left, TRACK_WIDTH - TIP_WIDTH));
    body = `<div class="bar" data-job="${esc(job.name)}" data-row="${index}" data-state="${job.state}" data-start-ms="${span.offsetMs}" data-duration-ms="${span.durationMs}"${span.open ? ' data-open="true"' : ''} style="left:${LABEL_WIDTH + left}px;width:${width}px;background:${colour}" title="${title}"></div>`;
  }
  const tip = `<dl class="tip" style="left:${tipLeft}px">${details
    .map(([name, value]) => `<dt>${esc(name)}</dt><dd>${esc(value)}</dd>`)
    .join('')}</dl>`;
  return `<div class="${classes}" style="top:${index * ROW_HEIGHT}px">${label}${retries}${body}${tip}</div>`;
}
