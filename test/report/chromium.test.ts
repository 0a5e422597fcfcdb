// The HTML report in a real browser: a real parex run (success, failure, a job killed after
// ignoring SIGTERM), `parex report --html`, a headless Chromium screenshot, and each job's bar
// found in the pixels where its manifest lines say: x from started_at (relative to the first
// start) and duration_ms, y from its row, in the colour of its outcome, and not beyond.
import assert from 'node:assert/strict';
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import {
  AXIS_HEIGHT,
  axisFor,
  BAR_HEIGHT,
  BAR_INSET,
  LEGEND_HEIGHT,
  MIN_BAR_WIDTH,
  OUTCOME_COLOURS,
  ROW_HEIGHT,
  ROWS_TOP,
  TRACK_LEFT,
  TRACK_WIDTH,
} from '../../src/report/html/layout.js';
import { requireChromium, screenshot } from '../helpers/chromium.js';
import { runCli } from '../helpers/cli.js';
import { endLines, num, onlyLineOf, parexEnv, runIdOf, text } from '../helpers/exec.js';
import { manifestLines } from '../helpers/manifest.js';
import {
  colourDistance,
  decodePng,
  type Png,
  parseHex,
  pixel,
  type Rgb,
  toHex,
} from '../helpers/png.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

const WIDTH = 1400;
const HEIGHT = 1000;
/** Chromium paints flat colours exactly; allow a little for colour conversion. */
const SAME = 10;
/** Just outside a bar the colour must differ clearly. */
const DIFFERENT = 60;

const EXPECTED: ReadonlyArray<{ name: string; outcome: 'success' | 'failed' | 'killed' }> = [
  { name: 'a', outcome: 'success' },
  { name: 'b', outcome: 'failed' },
  { name: 'c', outcome: 'killed' },
];

test('the HTML report in headless Chromium: each bar where the manifest says, in its outcome colour', async (t) => {
  requireChromium();
  const dir = realpathSync(tempDir(t, 'parex-chromium-'));
  const marker = killedAfter(t);

  const run = await runCli(
    [
      'exec',
      '--names',
      'a,b,c',
      '--timeout',
      '1',
      '--kill-after',
      '0.5',
      '--',
      'sleep 0.3',
      'exit 3',
      "trap '' TERM; sleep 5",
    ],
    { cwd: dir, env: parexEnv(marker) },
  );
  assert.notEqual(run.code, null, run.stderr);
  const runId = runIdOf(run.stderr);
  const ends = endLines(manifestLines(path.join(dir, '.parex', 'runs', runId, 'manifest.jsonl')));

  const report = await runCli(['report', '--html', 'out.html'], { cwd: dir, env: parexEnv(null) });
  assert.equal(report.code, 0, report.stderr);
  const html = readFileSync(path.join(dir, 'out.html'), 'utf8');

  // Where the manifest says each bar is, in milliseconds from the first start.
  const jobs = EXPECTED.map(({ name, outcome }) => {
    const line = onlyLineOf(ends, name);
    assert.equal(line.outcome, outcome, `outcome of ${name}: ${JSON.stringify(line)}`);
    return {
      name,
      outcome,
      start: Date.parse(text(line, 'started_at')),
      ms: num(line, 'duration_ms'),
    };
  });
  const first = Math.min(...jobs.map((job) => job.start));
  const lastEnd = Math.max(...ends.map((line) => Date.parse(text(line, 'ended_at'))));
  const extent = Math.max(
    lastEnd - first,
    ...jobs.map((job) => job.start - first + Math.round(job.ms)),
  );
  const axisMs = axisFor(extent).endMs;
  assert.match(html, new RegExp(`data-axis-ms="${axisMs}"`), 'the axis of the timeline');

  const shot = path.join(dir, 'shot.png');
  await screenshot(path.join(dir, 'out.html'), shot, {
    workDir: dir,
    width: WIDTH,
    height: HEIGHT,
  });
  const png = decodePng(readFileSync(shot));
  assert.equal(png.width, WIDTH);
  assert.equal(png.height, HEIGHT);

  jobs.forEach((job, row) => {
    const offset = job.start - first;
    const duration = Math.round(job.ms);
    assert.match(
      html,
      new RegExp(
        `class="bar" data-job="${job.name}" data-row="${row}" data-state="${job.outcome}" data-start-ms="${offset}" data-duration-ms="${duration}"`,
      ),
      `the bar of ${job.name} and its data attributes`,
    );
    const colour = parseHex(OUTCOME_COLOURS[job.outcome]);
    const left = TRACK_LEFT + (offset / axisMs) * TRACK_WIDTH;
    const right = Math.max(
      TRACK_LEFT + ((offset + duration) / axisMs) * TRACK_WIDTH,
      left + MIN_BAR_WIDTH,
    );
    const top = ROWS_TOP + row * ROW_HEIGHT + BAR_INSET;
    const bottom = top + BAR_HEIGHT;
    const where = `${job.name} (${job.outcome}): expected x ${left.toFixed(1)}..${right.toFixed(1)}, y ${top}..${bottom}`;

    // Across the track at the bar's middle row: one run of the outcome colour, where computed.
    const midY = Math.floor((top + bottom) / 2);
    const xs = matching(png, colour, TRACK_LEFT - 20, TRACK_LEFT + TRACK_WIDTH + 20, (x) => [
      x,
      midY,
    ]);
    assert.ok(xs.length > 0, `no ${toHex(colour)} pixel in row ${midY}: ${where}`);
    assert.equal(
      xs.at(-1) as number,
      (xs[0] as number) + xs.length - 1,
      `bar not contiguous: ${where}`,
    );
    assert.ok(Math.abs((xs[0] as number) - left) <= 1.5, `bar starts at x ${xs[0]}: ${where}`);
    assert.ok(
      Math.abs((xs.at(-1) as number) + 1 - right) <= 1.5,
      `bar ends at x ${xs.at(-1)}: ${where}`,
    );

    // Down the bar's middle column: the bar's height, in its row.
    const midX = Math.floor((left + right) / 2);
    const ys = matching(png, colour, top - 8, bottom + 8, (y) => [midX, y]);
    assert.deepEqual([ys[0], ys.at(-1)], [top, bottom - 1], `bar's rows: ${where}`);

    // Inside it is the colour; just outside, on every side, it is not.
    for (const [x, y] of [
      [Math.ceil(left) + 1, midY],
      [Math.floor(right) - 2, midY],
      [midX, top + 1],
      [midX, bottom - 2],
    ] as const)
      assertColour(png, x, y, colour, true, where);
    for (const [x, y] of [
      [Math.floor(left) - 3, midY],
      [Math.ceil(right) + 2, midY],
      [midX, top - 3],
      [midX, bottom + 2],
    ] as const)
      assertColour(png, x, y, colour, false, where);
  });

  // The legend is visible: a swatch of every outcome colour between the title and the axis.
  const legendTop = ROWS_TOP - AXIS_HEIGHT - LEGEND_HEIGHT;
  for (const [state, hex] of Object.entries(OUTCOME_COLOURS)) {
    let found = false;
    for (let y = legendTop; y < legendTop + LEGEND_HEIGHT && !found; y++)
      found = matching(png, parseHex(hex), 0, WIDTH, (x) => [x, y]).length >= 8;
    assert.ok(found, `legend swatch of ${state} (${hex}) not seen`);
  }
});

/** Positions along a line (given by `at`) from `from` to `to` whose pixel is `colour`. */
function matching(
  png: Png,
  colour: Rgb,
  from: number,
  to: number,
  at: (i: number) => [number, number],
): number[] {
  const found: number[] = [];
  for (let i = Math.max(0, Math.floor(from)); i < to; i++) {
    const [x, y] = at(i);
    if (x >= png.width || y >= png.height) break;
    if (colourDistance(pixel(png, x, y), colour) <= SAME) found.push(i);
  }
  return found;
}

function assertColour(
  png: Png,
  x: number,
  y: number,
  colour: Rgb,
  same: boolean,
  where: string,
): void {
  const seen = pixel(png, x, y);
  const distance = colourDistance(seen, colour);
  assert.ok(
    same ? distance <= SAME : distance >= DIFFERENT,
    `pixel (${x}, ${y}) is ${toHex(seen)}, ${same ? 'not' : 'too close to'} ${toHex(colour)}: ${where}`,
  );
}
