import assert from 'node:assert/strict';
import { test } from 'node:test';

import { runCli } from '../helpers/cli.js';
import { CLI_PATH } from '../helpers/paths.js';
import { killedAfter, livingWithMarker } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';
import { openTerminal } from '../helpers/tmux.js';

/** The escape character that starts a colour sequence. */
const ESC = String.fromCharCode(27);

const JOBS = [
  '--names',
  'alpha,beta,gamma',
  '--kill-after',
  '0.5',
  '--',
  "'for i in 1 2 3; do echo step $i; sleep 0.4; done'",
  "'echo broken >&2; exit 3'",
  "'echo working; sleep 1.5'",
].join(' ');

test('on a terminal the live view redraws in place and leaves one final frame and the summary', async (t) => {
  const dir = tempDir(t);
  const term = openTerminal(
    t,
    `cd ${dir} && node ${CLI_PATH} exec ${JOBS}; echo EXIT=$?; sleep 60`,
  );
  const mid = await term.waitFor('working');
  assert.match(
    mid,
    /parex \d{8}-\d{6}-[0-9a-f]{4}\s+\S+\s+\d queued · \d running · \d done · \d failed/,
  );
  const screen = await term.waitFor('EXIT=');
  const lines = screen.split('\n');
  assert.equal(
    lines.filter((line) => /^parex \d{8}-/.test(line)).length,
    1,
    `one header:\n${screen}`,
  );
  assert.equal(
    lines.filter((line) => /^ {2}\S alpha /.test(line)).length,
    1,
    `alpha drawn once:\n${screen}`,
  );
  assert.match(screen, /^ {2}✔ alpha +\S+ +SUCCESS$/m);
  assert.match(screen, /^ {2}✖ beta +\S+ +FAILED \(exit 3\) {2}broken$/m);
  assert.match(screen, /0 queued · 0 running · 2 done · 1 failed/);
  assert.match(screen, /parex: summary of run/);
  assert.match(screen, /EXIT=1/);
  assert.doesNotMatch(screen, /\[parex\] started/, 'no plain progress lines on a terminal');
});

test('Ctrl-C on a terminal stops every job, and leaves a clean screen with the summary', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const term = openTerminal(
    t,
    `cd ${dir} && PAREX_TEST_MARKER=${marker} node ${CLI_PATH} exec --kill-after 0.5 -- 'sleep 30' "trap '' TERM; echo stubborn; sleep 30"; echo EXIT=$?; sleep 60`,
  );
  await term.waitFor('stubborn');
  term.keys('C-c');
  const screen = await term.waitFor('EXIT=');
  assert.match(screen, /EXIT=130/);
  assert.match(screen, /SIGINT received: stopping every job/);
  assert.match(screen, /CANCELLED/);
  assert.match(screen, /cancelled by SIGINT/);
  assert.equal(screen.split('\n').filter((line) => /^parex \d{8}-/.test(line)).length, 1, screen);
  assert.deepEqual(livingWithMarker(marker), []);
});

test('--json prints one JSON event per line on stdout and nothing on stderr', async (t) => {
  const run = await runCli(['exec', '--json', '--', 'true', 'exit 4'], { cwd: tempDir(t) });
  assert.equal(run.code, 1);
  assert.equal(run.stderr, '');
  const events = run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const types = events.map((event) => event.type);
  assert.equal(types[0], 'run-start');
  assert.deepEqual(types.filter((type) => type === 'job-start').length, 2);
  assert.deepEqual(types.slice(-2), ['run-end', 'summary']);
  const summary = events.at(-1) as { results: { name: string; exitCode: number }[] };
  assert.deepEqual(
    summary.results.map((job) => [job.name, job.exitCode]),
    [
      ['job1', 0],
      ['job2', 4],
    ],
  );
});

test('--quiet prints nothing, FORCE_COLOR colours plain lines, NO_COLOR keeps them plain', async (t) => {
  const quiet = await runCli(['exec', '--quiet', '--', 'exit 5'], { cwd: tempDir(t) });
  assert.deepEqual([quiet.code, quiet.stdout, quiet.stderr], [1, '', '']);
  const forced = await runCli(['exec', '--', 'true'], {
    cwd: tempDir(t),
    env: { NO_COLOR: '', FORCE_COLOR: '1' },
  });
  assert.ok(forced.stderr.includes(`${ESC}[32m[parex] finished job1`), forced.stderr);
  const plain = await runCli(['exec', '--', 'true'], { cwd: tempDir(t), env: { NO_COLOR: '1' } });
  assert.ok(!plain.stderr.includes(`${ESC}[`), plain.stderr);
});

test('the live view is coloured on a terminal, and NO_COLOR turns the colour off', async (t) => {
  for (const [env, coloured] of [
    ['unset NO_COLOR FORCE_COLOR;', true],
    ['unset FORCE_COLOR; export NO_COLOR=1;', false],
  ] as const) {
    const dir = tempDir(t);
    const term = openTerminal(
      t,
      `cd ${dir} && ${env} node ${CLI_PATH} exec -- 'sleep 0.3'; echo EXIT=$?; sleep 60`,
    );
    await term.waitFor('EXIT=0');
    const screen = term.screen(true);
    const escapes = [1, 31, 32, 33, 36].some((code) => screen.includes(`${ESC}[${code}m`));
    assert.equal(escapes, coloured, `${env}\n${screen}`);
  }
});

test('the live view follows a terminal resize: every line fits the new width', async (t) => {
  const dir = tempDir(t);
  const name = 'a_rather_long_job_name_for_the_test';
  const term = openTerminal(
    t,
    `cd ${dir} && node ${CLI_PATH} exec --names ${name} -- 'while true; do echo "$(date +%s%N) some output that is long enough to be cut by a narrow terminal"; sleep 0.1; done'`,
    120,
    20,
  );
  await term.waitFor('some output');
  term.resize(50, 20);
  // Drawn for 50 columns, the job's line is cut by parex itself: 49 characters ending in "…".
  // A frame drawn for the old width would instead be wrapped by the terminal, uncut. Wait for
  // a frame drawn at the new width (a loaded machine may take a while to draw it).
  const jobLineOf = (shown: string) =>
    shown.split('\n').findLast((line) => line.includes('a_rather_long'));
  const screen = await term.waitUntil(
    (shown) => jobLineOf(shown)?.trimEnd().endsWith('…') === true,
    'a job line cut for the new width',
  );
  const jobLine = jobLineOf(screen);
  assert.equal([...(jobLine ?? '').trimEnd()].length, 49, screen);
  term.keys('C-c');
});
