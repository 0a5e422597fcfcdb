// The parts of the HTML report around the timeline: the figures, the stages and jobs tables and
// the failures with the last lines of their logs. Every run-provided text is escaped.
import type { RunReport } from '../analysis.js';
import { criticalPathText, efficiencyText, formatDuration } from '../format.js';
import type { ReportContext } from '../markdown.js';
import type { JobView } from '../run-view.js';
import { OUTCOME_COLOURS } from './layout.js';
import {
  esc,
  formatCompactCount,
  formatCost,
  formatCount,
  formatOffset,
  formatTokens,
  logOf,
  plainLine,
} from './markup.js';

/** The colour of a job's state (white for skipped jobs, which have no bar). */
function colourOf(job: JobView): string {
  return job.state === 'skipped' ? '#ffffff' : OUTCOME_COLOURS[job.state];
}

/** The figures of the run, as a fixed grid of cards (two rows of five). */
export function renderFigures(report: RunReport): string {
  const known = (report.inputTokens === null ? 0 : 1) + (report.costUsd === null ? 0 : 1);
  const path = criticalPathText(report.figures);
  const failed = report.failures.length;
  const cards = [
    figure('wall time', formatDuration(report.wallMs), 'wall'),
    figure('sum of job times', formatDuration(report.sumMs), 'sum'),
    figure(
      'speedup',
      `${report.speedup.toFixed(2)}x, ${efficiencyText(report.figures)}`,
      'speedup',
    ),
    figure(
      'jobs',
      `${report.jobs.length}${failed > 0 ? `, ${failed} not successful` : ', all successful'}`,
      'jobs',
      failed > 0 ? 'bad' : '',
    ),
    figure('slowest job', report.slowest ?? '-', 'slowest'),
    figure('critical path', path, 'critical-path', '', 5 - known),
  ];
  if (report.inputTokens !== null) {
    const input = report.inputTokens;
    const output = report.outputTokens ?? 0;
    const tokens = `${formatCompactCount(input)} in / ${formatCompactCount(output)} out`;
    const exact = `${formatCount(input)} in / ${formatCount(output)} out`;
    cards.push(figure(`tokens (${exact})`, tokens, 'tokens'));
  }
  if (report.costUsd !== null) cards.push(figure('cost', formatCost(report.costUsd), 'cost'));
  return `<section class="figures">${cards.join('')}</section>`;
}

function figure(label: string, value: string, key: string, extra = '', span = 1): string {
  const style = span > 1 ? ` style="grid-column:span ${span}"` : '';
  return `<div class="fig ${extra}" data-figure="${key}"${style} title="${esc(`${label}: ${value}`)}"><b class="cut">${esc(label)}</b><span class="cut">${esc(value)}</span></div>`;
}

/** The stages table: per wave or group, its wall time, sum, speedup and efficiency. */
export function renderStages(report: RunReport): string {
  const rows = report.stages.map(
    (stage) =>
      `<tr><td>${esc(stage.label)}</td><td>${esc(stage.jobs.join(', '))}</td><td class="num">${formatDuration(stage.wallMs)}</td><td class="num">${formatDuration(stage.sumMs)}</td><td class="num">${stage.speedup.toFixed(2)}x</td><td class="num">${efficiencyText(stage)}</td><td>${esc(stage.slowest ?? '-')}</td></tr>`,
  );
  return [
    '<section class="block stages"><h2>Stages</h2>',
    '<table><thead><tr><th>stage</th><th>jobs</th><th class="num">wall</th><th class="num">sum</th><th class="num">speedup</th><th class="num">efficiency</th><th>slowest</th></tr></thead><tbody>',
    ...(rows.length === 0 ? ['<tr><td colspan="7">no finished jobs</td></tr>'] : rows),
    '</tbody></table></section>',
  ].join('\n');
}

/** The jobs table, critical path jobs marked. */
export function renderJobs(report: RunReport, origin: Date | null): string {
  const critical = new Set(report.criticalJobs);
  const rows = report.jobs.map((job) => jobRow(job, origin, critical.has(job.name)));
  return [
    '<section class="block jobs"><h2>Jobs</h2>',
    '<table><thead><tr><th>job</th><th>state</th><th class="num">exit</th><th class="num">starts at</th><th class="num">duration</th><th class="num">attempts</th><th>agent</th><th class="num">tokens</th><th class="num">cost</th><th>log</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table></section>',
  ].join('\n');
}

function jobRow(job: JobView, origin: Date | null, critical: boolean): string {
  const colour = colourOf(job);
  const cells = [
    `<td>${esc(job.name)}${critical ? ' <small>(critical path)</small>' : ''}</td>`,
    `<td class="state"><i style="background:${colour};border:1px solid #8c959f"></i>${esc(job.state)}</td>`,
    `<td class="num">${job.exitCode ?? '-'}</td>`,
    `<td class="num">${formatOffset(job, origin)}</td>`,
    `<td class="num">${job.durationMs === null ? '-' : formatDuration(job.durationMs)}</td>`,
    `<td class="num">${job.attempts}</td>`,
    `<td>${esc(job.agent ?? '-')}</td>`,
    `<td class="num">${esc(formatTokens(job))}</td>`,
    `<td class="num">${job.costUsd === null ? '-' : formatCost(job.costUsd)}</td>`,
    `<td class="path">${esc(logOf(job))}</td>`,
  ];
  return `<tr${critical ? ' class="critical"' : ''} data-job="${esc(job.name)}">${cells.join('')}</tr>`;
}

/** Each job that did not succeed: its state, reason and the last lines of its log. */
export function renderFailures(report: RunReport, context: ReportContext): string {
  if (report.failures.length === 0) return '';
  const items = report.failures.map((job) => {
    const tail = context.tails[job.name] ?? [];
    const heading = `${job.name}: ${job.state}${job.exitCode === null ? '' : `, exit ${job.exitCode}`}`;
    return [
      `<div class="failure" data-job="${esc(job.name)}">`,
      `<h3><i class="swatch" style="background:${colourOf(job)}"></i>${esc(heading)}</h3>`,
      job.reason === null ? '' : `<p>${esc(job.reason)}</p>`,
      logOf(job) === '-' ? '' : `<p class="path">${esc(logOf(job))}</p>`,
      tail.length === 0
        ? '<p><em>(no output)</em></p>'
        : `<pre>${tail.map((line) => esc(plainLine(line))).join('\n')}</pre>`,
      '</div>',
    ]
      .filter((part) => part !== '')
      .join('\n');
  });
  return ['<section class="block failures"><h2>Failures</h2>', ...items, '</section>'].join('\n');
}

/** The conflicts between isolated jobs: job x job, files. */
export function renderConflicts(report: RunReport): string {
  const rows = report.jobs.flatMap((job) =>
    job.conflicts.map(
      (conflict) =>
        `<tr><td>${esc(job.name)}</td><td>${esc(conflict.job)}</td><td class="path">${esc(conflict.files.join(', '))}</td></tr>`,
    ),
  );
  if (rows.length === 0) return '';
  return [
    '<section class="block conflicts"><h2>Conflicts</h2>',
    '<table><thead><tr><th>job</th><th>conflicts with</th><th>files</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table></section>',
  ].join('\n');
}
