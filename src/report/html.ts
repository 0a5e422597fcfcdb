// The report as one self-contained HTML page: the figures, a timeline with one bar per job
// coloured by outcome (details on hover), the stages and jobs tables and the failures with the
// last lines of their logs. Inline CSS only: no script, font, image or anything from the network
// (a Content-Security-Policy forbids it too). The geometry of the timeline is fixed and
// documented in html/layout.ts, so that a test can find each bar in a screenshot.
import type { RunReport } from './analysis.js';
import { esc } from './html/markup.js';
import {
  renderConflicts,
  renderFailures,
  renderFigures,
  renderJobs,
  renderStages,
} from './html/sections.js';
import { STYLE } from './html/style.js';
import { renderTimeline, timelineOrigin } from './html/timeline.js';
import type { ReportContext } from './markdown.js';
import { spendHtml } from './spend-report.js';

/** The report as HTML: a pure function of the report and its context. */
export function renderHtml(report: RunReport, context: ReportContext): string {
  const origin = timelineOrigin(report);
  const subtitle = [
    origin === null ? 'not started' : `started ${origin.toISOString()}`,
    `log directory: ${context.logDir}`,
  ].join(' · ');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(context.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<header><h1 class="cut" title="${esc(context.title)}">${esc(context.title)}</h1><p class="cut" title="${esc(subtitle)}">${esc(subtitle)}</p></header>`,
    renderFigures(report),
    renderTimeline(report),
    renderStages(report),
    renderJobs(report, origin),
    spendHtml(report.jobs, context.budget ?? null),
    renderConflicts(report),
    renderFailures(report, context),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
