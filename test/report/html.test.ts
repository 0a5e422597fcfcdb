// The HTML report as text: one self-contained page, everything from the run escaped, one bar per
// started job at the documented position, the legend, the figures, the tables and the failures.
import assert from 'node:assert/strict';
import test from 'node:test';

import { analyseRun } from '../../src/report/analysis.js';
import {
  axisFor,
  barGeometry,
  LABEL_WIDTH,
  OUTCOME_COLOURS,
  ROWS_TOP,
  TRACK_LEFT,
  tickLabel,
} from '../../src/report/html/layout.js';
import { renderHtml } from '../../src/report/html.js';
import type { ReportContext } from '../../src/report/markdown.js';
import type { JobView } from '../../src/report/run-view.js';
import { jobView } from '../helpers/job-view.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const at = (ms: number) => new Date(T0 + ms);
const HOSTILE = '<script>alert(1)</script>';
const EVIL_NAME = 'evil"><img src=x onerror=alert(2)>';

/** A job that ran from `startMs` for `durationMs` (both from T0), or `null`s for open ones. */
const job = jobView;

const JOBS: JobView[] = [
  job({
    name: 'build',
    state: 'success',
    exitCode: 0,
    startedAt: at(0),
    durationMs: 2000,
    agent: 'codex',
    inputTokens: 12_345,
    outputTokens: 678,
    costUsd: 0.0125,
  }),
  job({
    name: 'test',
    state: 'failed',
    exitCode: 1,
    startedAt: at(2000),
    durationMs: 3000,
    needs: ['build'],
    attempts: 2,
    inputTokens: 1000,
    outputTokens: 22,
    costUsd: 0.002,
  }),
  job({ name: 'lint', state: 'timeout', startedAt: at(500), durationMs: 1500 }),
  job({
    name: 'deploy',
    state: 'skipped',
    startedAt: at(5000),
    needs: ['test'],
    reason: `needs test, which failed ${HOSTILE}`,
  }),
  job({ name: EVIL_NAME, state: 'killed', exitCode: 137, startedAt: at(3000), durationMs: 1500 }),
  job({ name: 'watch', state: 'running', startedAt: at(4000), durationMs: 1000 }),
  job({ name: 'ghost', state: 'lost', startedAt: at(1000), reason: 'no completion line' }),
];

const CONTEXT: ReportContext = {
  title: `parex report: run run-1 ${HOSTILE}`,
  logDir: '/logs/<dir>',
  tails: {
    test: ['not ok 1 - adds', HOSTILE, 'a & b "quoted" \'single\'', '\u001b[31mred\u001b[0m'],
  },
};

const html = renderHtml(analyseRun(JOBS), CONTEXT);

/** The attributes of every element of class `bar`, in document order. */
function bars(page: string): Record<string, string>[] {
  return [...page.matchAll(/<div class="bar"([^>]*)>/g)].map((match) =>
    Object.fromEntries(
      [...(match[1] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((attr) => [attr[1], attr[2]]),
    ),
  );
}

test('the page is self-contained: no script, no external resource, a strict CSP', () => {
  assert.match(html, /^<!doctype html>/);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<(link|img|iframe|object|embed|svg|use)\b/i);
  // The markup itself, attribute values emptied: no attribute that loads or runs anything.
  const markup = html.replace(/"[^"]*"/g, '""');
  assert.doesNotMatch(markup, /<[^>]*\s(src|href|srcset|on\w+)\s*=/i);
  assert.doesNotMatch(html, /@import|url\(/i);
  assert.doesNotMatch(html, /https?:/i);
  assert.match(html, /<style>[\s\S]*<\/style>/);
  assert.match(
    html,
    /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/,
  );
});

test('everything from the run is escaped: names, reasons, titles, paths and log lines', () => {
  const escaped = '&lt;script&gt;alert(1)&lt;/script&gt;';
  assert.ok(html.includes(`<title>parex report: run run-1 ${escaped}</title>`));
  assert.ok(html.includes(`skipped: needs test, which failed ${escaped}`), 'the skipped reason');
  assert.ok(html.includes('/logs/&lt;dir&gt;'), 'the log directory');
  const evil = 'evil&quot;&gt;&lt;img src=x onerror=alert(2)&gt;';
  assert.ok(html.includes(`data-job="${evil}"`), 'the hostile name in an attribute');
  assert.ok(html.includes(`${evil} <small>killed</small>`), 'the hostile name as text');
  assert.ok(!html.includes(EVIL_NAME));
  const pre = /<pre>([\s\S]*?)<\/pre>/.exec(html)?.[1];
  assert.equal(
    pre,
    `not ok 1 - adds\n${escaped}\na &amp; b &quot;quoted&quot; &#39;single&#39;\n[31mred[0m`,
    'the tail of the failed log, escaped, control characters dropped',
  );
});

test('one bar per started job, at the documented position, in its outcome colour', () => {
  const found = bars(html);
  // Skipped jobs get a row and their reason but no bar; the lost job is drawn to the end.
  assert.deepEqual(
    found.map((bar) => [
      bar['data-job'],
      bar['data-state'],
      bar['data-start-ms'],
      bar['data-duration-ms'],
    ]),
    [
      ['build', 'success', '0', '2000'],
      ['test', 'failed', '2000', '3000'],
      ['lint', 'timeout', '500', '1500'],
      ['evil&quot;&gt;&lt;img src=x onerror=alert(2)&gt;', 'killed', '3000', '1500'],
      ['watch', 'running', '4000', '1000'],
      ['ghost', 'lost', '1000', '4000'],
    ],
  );
  assert.deepEqual(
    found.map((bar) => bar['data-row']),
    ['0', '1', '2', '4', '5', '6'],
  );
  assert.equal(found.at(-1)?.['data-open'], 'true');
  // The axis is 0..5 s over 1000 px, so 0.2 px per millisecond, right of the names column.
  assert.match(html, /data-axis-ms="5000"/);
  assert.deepEqual(
    found.map((bar) => bar.style),
    [
      `left:${LABEL_WIDTH}px;width:400px;background:${OUTCOME_COLOURS.success}`,
      `left:${LABEL_WIDTH + 400}px;width:600px;background:${OUTCOME_COLOURS.failed}`,
      `left:${LABEL_WIDTH + 100}px;width:300px;background:${OUTCOME_COLOURS.timeout}`,
      `left:${LABEL_WIDTH + 600}px;width:300px;background:${OUTCOME_COLOURS.killed}`,
      `left:${LABEL_WIDTH + 800}px;width:200px;background:${OUTCOME_COLOURS.running}`,
      `left:${LABEL_WIDTH + 200}px;width:800px;background:${OUTCOME_COLOURS.lost}`,
    ],
  );
  for (const bar of found) {
    assert.match(bar.title ?? '', /^job: .*&#10;state: .*&#10;exit code: .*&#10;start: /);
    assert.match(
      bar.title ?? '',
      /&#10;duration: .*&#10;attempts: \d+&#10;agent: .*&#10;tokens: .*&#10;cost: .*&#10;(reason: .*&#10;)?log: \/logs\//,
    );
  }
  assert.match(html, /data-track-left="240" data-track-width="1000" data-rows-top="296"/);
  assert.equal(TRACK_LEFT, 240);
  assert.equal(ROWS_TOP, 296);
});

test('the hover panel and the skipped row carry the details', () => {
  assert.match(
    html,
    /<dl class="tip"[^>]*><dt>job<\/dt><dd>test<\/dd><dt>state<\/dt><dd>failed<\/dd><dt>exit code<\/dt><dd>1<\/dd>/,
  );
  assert.match(html, /<dt>attempts<\/dt><dd>2<\/dd>/);
  assert.match(
    html,
    /<dt>agent<\/dt><dd>codex<\/dd><dt>tokens<\/dt><dd>12,345 in \/ 678 out<\/dd><dt>cost<\/dt><dd>\$0\.0125<\/dd>/,
  );
  assert.match(html, /<dt>log<\/dt><dd>\/logs\/build\.log<\/dd>/);
  assert.match(html, /\.row:hover \.tip\{display:grid\}/);
});

test('the legend names every state with its colour, and the critical path', () => {
  const legend = /<div class="legend">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
  for (const [state, colour] of Object.entries(OUTCOME_COLOURS))
    assert.ok(
      legend.includes(
        `<span class="key" data-state="${state}"><i style="background:${colour}"></i>${state}</span>`,
      ),
      `legend of ${state}`,
    );
  assert.ok(legend.includes('skipped (no bar)'));
  assert.ok(legend.includes('critical path'));
  assert.deepEqual(OUTCOME_COLOURS, {
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
  });
});

test('the time axis has ticks at round steps across the track', () => {
  const ticks = [...html.matchAll(/<span class="tick" style="left:(\d+)px">([^<]*)<\/span>/g)];
  assert.deepEqual(
    ticks.map((tick) => [Number(tick[1]) - LABEL_WIDTH, tick[2]]),
    [
      [0, '0s'],
      [200, '1s'],
      [400, '2s'],
      [600, '3s'],
      [800, '4s'],
      [1000, '5s'],
    ],
  );
  assert.deepEqual(axisFor(1520), { endMs: 1600, stepMs: 200 });
  assert.deepEqual(axisFor(0), { endMs: 1000, stepMs: 200 });
  assert.deepEqual(axisFor(600_000 * 6.5), { endMs: 3_600_000 + 600_000, stepMs: 600_000 });
  assert.equal(tickLabel(1400, 200), '1.4s');
  assert.equal(tickLabel(90_000, 30_000), '1m30s');
  assert.equal(tickLabel(3_600_000 + 1_800_000, 1_800_000), '1h30m');
  assert.deepEqual(barGeometry(6, 10, 1600), { left: 4, width: 6 });
  assert.deepEqual(barGeometry(0, 1, 1600), { left: 0, width: 3 });
  assert.deepEqual(barGeometry(1600, 0, 1600), { left: 997, width: 3 });
});

test('the figures, the critical path, the tables and the failures', () => {
  const figure = (key: string) =>
    new RegExp(
      `data-figure="${key}"[^>]*><b class="cut">([^<]*)</b><span class="cut">([^<]*)</span>`,
    )
      .exec(html)
      ?.slice(1);
  assert.deepEqual(figure('wall'), ['wall time', '5.00s']);
  assert.deepEqual(figure('sum'), ['sum of job times', '8.00s']);
  // Wave 1 lets three jobs run at once: 1.60x over 3 slots.
  assert.deepEqual(figure('speedup'), ['speedup', '1.60x, 53% of 3 slots']);
  assert.deepEqual(figure('jobs'), ['jobs', '7, 5 not successful']);
  assert.deepEqual(figure('slowest'), ['slowest job', 'test']);
  assert.deepEqual(figure('critical-path'), [
    'critical path',
    'build → test (5.00s + 0.00s start-up gaps)',
  ]);
  assert.deepEqual(figure('tokens'), ['tokens (13,345 in / 700 out)', '13.3k in / 700 out']);
  assert.deepEqual(figure('cost'), ['cost', '$0.0145']);
  // The critical path's rows are highlighted in the timeline and the jobs table.
  assert.equal([...html.matchAll(/<div class="row( odd)? critical"/g)].length, 2);
  assert.match(html, /<tr class="critical" data-job="build">/);
  assert.match(html, /<tr class="critical" data-job="test">/);
  // Stages: the waves of phases.
  assert.match(html, /<tr><td>wave 1<\/td><td>build, lint, evil&quot;/);
  assert.match(
    html,
    /<tr><td>wave 2<\/td><td>test<\/td><td class="num">3\.00s<\/td><td class="num">3\.00s<\/td><td class="num">1\.00x<\/td><td class="num">100% of 1 slot<\/td><td>test<\/td><\/tr>/,
  );
  // Jobs: every one, with its start offset.
  for (const name of ['build', 'test', 'lint', 'deploy', 'watch', 'ghost'])
    assert.match(html, new RegExp(`<tr( class="critical")? data-job="${name}">`));
  assert.match(
    html,
    /data-job="lint"><td>lint<\/td><td class="state">.*timeout<\/td><td class="num">-<\/td><td class="num">\+0\.50s<\/td><td class="num">1\.50s<\/td>/,
  );
  // Failures: each job that did not succeed, with its log tail or "(no output)".
  const failures = [...html.matchAll(/<div class="failure" data-job="([^"]*)">/g)].map((m) => m[1]);
  assert.deepEqual(failures, [
    'test',
    'lint',
    'deploy',
    'evil&quot;&gt;&lt;img src=x onerror=alert(2)&gt;',
    'ghost',
  ]);
  assert.match(
    html,
    /<h3><i class="swatch" style="background:#d93025"><\/i>test: failed, exit 1<\/h3>/,
  );
  assert.match(
    html,
    /<h3>[^\n]*lint: timeout<\/h3>\n<p class="path">\/logs\/lint\.log<\/p>\n<p><em>\(no output\)<\/em><\/p>/,
  );
});

test('the page is a pure function of its input, and copes with a run without jobs', () => {
  assert.equal(renderHtml(analyseRun(JOBS), CONTEXT), html);
  const empty = renderHtml(analyseRun([]), { title: 'empty', logDir: '/x', tails: {} });
  assert.match(empty, /no jobs/);
  assert.equal(bars(empty).length, 0);
  assert.doesNotMatch(empty, /NaN|undefined|Infinity/);
  assert.doesNotMatch(html, /NaN|undefined|Infinity/);
});

test('a skipped job shows no log path: it never ran, so it has no log', () => {
  const row = /<tr data-job="deploy">.*?<\/tr>/s.exec(html)?.[0] ?? '';
  assert.match(row, /<td class="path">-<\/td>/);
  assert.doesNotMatch(html, /\/logs\/deploy\.log/);
});

test('a retried job: one bar per attempt in its row, the sum and wall over every attempt', () => {
  const retried = job({
    name: 'flaky',
    state: 'success',
    exitCode: 0,
    startedAt: at(3000),
    durationMs: 1000,
    attempts: 2,
  });
  const attempts = [
    {
      name: 'flaky',
      attempt: 1,
      startedAt: at(0),
      endedAt: at(1000),
      durationMs: 1000,
      outcome: 'failed',
    },
    {
      name: 'flaky',
      attempt: 2,
      startedAt: at(3000),
      endedAt: at(4000),
      durationMs: 1000,
      outcome: 'success',
    },
  ];
  const report = analyseRun([retried], attempts, 1);
  assert.equal(report.sumMs, 2000);
  assert.equal(report.wallMs, 4000);
  assert.deepEqual(report.criticalPath, ['flaky', 'flaky#2']);
  const page = renderHtml(report, CONTEXT);
  assert.match(
    page,
    /class="bar attempt" data-job="flaky" data-attempt="1" data-row="0" data-state="failed" data-start-ms="0" data-duration-ms="1000"/,
  );
  assert.match(
    page,
    /class="bar" data-job="flaky" data-row="0" data-state="success" data-start-ms="3000" data-duration-ms="1000"/,
  );
});
