// The report as one self-contained HTML page (placeholder until the timeline renderer lands).
import type { RunReport } from './analysis.js';
import type { ReportContext } from './markdown.js';

/** The report as HTML. */
export function renderHtml(report: RunReport, context: ReportContext): string {
  return `<!doctype html><title>${context.title}</title><p>${report.jobs.length} jobs</p>`;
}
