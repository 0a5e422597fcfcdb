import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { CLI_PATH } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';
import { openTerminal } from '../helpers/tmux.js';

const HEADER = /^parex \d{8}-\d{6}-[0-9a-f]{4} .* (\d+) running/;
const SPINNER = /^ {2}[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] /;

test('40 jobs at -j 8 in a 100x20 terminal: every frame shows the header and every running job', async (t) => {
  const dir = tempDir(t);
  const jobs = Array.from({ length: 40 }, (_, i) => `'sleep 0.${5 + (i % 5)}; echo job ${i} done'`);
  const term = openTerminal(
    t,
    `cd ${dir} && node ${CLI_PATH} exec -j 8 -- ${jobs.join(' ')}; echo EXIT=$?; sleep 60`,
    100,
    20,
  );
  await term.waitFor('running');
  let captures = 0;
  for (;;) {
    const screen = term.screen();
    if (screen.includes('parex: summary of run') || screen.includes('EXIT=')) break;
    const lines = screen.split('\n');
    const headers = lines.filter((line) => HEADER.test(line));
    if (headers.length === 0) {
      await sleep(50); // between two frames
      continue;
    }
    captures += 1;
    assert.equal(headers.length, 1, screen);
    const running = Number(HEADER.exec(headers[0] ?? '')?.[1]);
    const first = lines.findIndex((line) => HEADER.test(line));
    assert.match(lines[first + 1] ?? '', /^ {2}logs: \.parex\/runs\//, screen);
    assert.equal(lines.filter((line) => SPINNER.test(line)).length, running, screen);
    assert.ok(running <= 8, screen);
    await sleep(150);
  }
  assert.ok(captures >= 5, `only ${captures} frames captured`);
  const end = await term.waitFor('EXIT=');
  assert.match(end, /EXIT=0/);
});

test('a resize narrower and back leaves no stale line of an older frame on the screen', async (t) => {
  const dir = tempDir(t);
  const long = 'output that is long enough to fill a wide terminal line '.repeat(3);
  const jobs = Array.from({ length: 6 }, (_, i) => `'echo "${i} ${long}"; sleep 2.5'`);
  const term = openTerminal(
    t,
    `cd ${dir} && node ${CLI_PATH} exec -j 3 --names a1,a2,a3,b1,b2,b3 -- ${jobs.join(' ')}; echo EXIT=$?; sleep 60`,
    100,
    30,
  );
  await term.waitFor('output that is');
  await sleep(300);
  term.resize(40, 30);
  await sleep(700);
  const narrow = term.screen();
  assert.equal(narrow.split('\n').filter((line) => /^parex \d{8}-/.test(line)).length, 1, narrow);
  term.resize(100, 30);
  await sleep(500);
  term.resize(55, 30);
  await sleep(100);
  term.resize(100, 30);
  const screen = await term.waitFor('EXIT=', 30_000);
  const lines = screen.split('\n');
  assert.equal(lines.filter((line) => /^parex \d{8}-/.test(line)).length, 1, screen);
  assert.equal(lines.filter((line) => SPINNER.test(line)).length, 0, `stale rows:\n${screen}`);
  assert.equal(lines.filter((line) => /^ {2}logs: /.test(line)).length, 1, screen);
  // Every row of the final frame is whole: no piece of a wrapped line anywhere.
  assert.equal(
    lines.filter((line) => /^(output|that|long|enough|fill|wide)/.test(line)).length,
    0,
    screen,
  );
  assert.match(screen, /EXIT=0/);
});

test('rows with CJK, emoji and combining marks take one terminal row each', async (t) => {
  const dir = tempDir(t);
  const cjk = '日本語のテキストがとても長く続きます。'.repeat(8);
  const emoji = '🎉🚀 cafe\u0301 '.repeat(20);
  const term = openTerminal(
    t,
    `cd ${dir} && node ${CLI_PATH} exec --names cjk,emoji -- 'echo "${cjk}"; sleep 2' 'echo "${emoji}"; sleep 2'; echo EXIT=$?; sleep 60`,
    80,
    20,
  );
  const screen = await term.waitFor('🚀');
  const lines = screen.split('\n');
  const cjkRow = lines.find((line) => line.includes(' cjk '));
  const emojiRow = lines.find((line) => line.includes(' emoji '));
  assert.ok(cjkRow?.includes('日本語') && cjkRow.trimEnd().endsWith('…'), screen);
  assert.ok(emojiRow?.includes('🎉') && emojiRow.trimEnd().endsWith('…'), screen);
  // A wrapped row would go on at the start of the next row.
  const wrapped = lines.filter((line) =>
    /^[日本語のテキストがとても長く続きます。🎉🚀]/u.test(line),
  );
  assert.deepEqual(wrapped, [], screen);
  await term.waitFor('EXIT=0');
});

test('a phase waiting on its needs says which ones it waits for', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'flow.yaml');
  writeFileSync(
    file,
    [
      'name: waits',
      'defaults: { agent: command }',
      'phases:',
      // first ends once the test has seen both needs waited for; second only after first.
      '  - { id: first, command: "until [ -e go ]; do sleep 0.05; done; touch first.done" }',
      '  - { id: second, command: "until [ -e first.done ]; do sleep 0.05; done; sleep 1.5" }',
      '  - { id: last, needs: [first, second], command: "true" }',
    ].join('\n'),
  );
  const term = openTerminal(
    t,
    `cd ${dir} && node ${CLI_PATH} run flow.yaml; echo EXIT=$?; sleep 60`,
    100,
    20,
  );
  const before = await term.waitFor('waiting for first, second');
  assert.match(before, /^ {2}· last +waiting for first, second$/m);
  writeFileSync(path.join(dir, 'go'), '');
  const after = await term.waitFor('waiting for second\n');
  assert.match(after, /^ {2}✔ first /m);
  assert.match(await term.waitFor('EXIT='), /EXIT=0/);
});

test('--output stream on a terminal: no live view, each job its own prefix colour', async (t) => {
  const dir = tempDir(t);
  const term = openTerminal(
    t,
    `cd ${dir} && unset NO_COLOR FORCE_COLOR; node ${CLI_PATH} exec --output stream --names one,two -- 'echo from one' 'sleep 0.2; echo from two'; echo EXIT=$?; sleep 60`,
    100,
    20,
  );
  await term.waitFor('EXIT=0');
  const coloured = term.screen(true);
  const prefix = (name: string) =>
    new RegExp(`\\u001b\\[(\\d+)m\\[${name}\\] \\u001b\\[39m(\\u001b\\[0?m)?from ${name}`).exec(
      coloured,
    )?.[1];
  assert.ok(prefix('one') !== undefined && prefix('two') !== undefined, coloured);
  assert.notEqual(prefix('one'), prefix('two'));
  assert.doesNotMatch(term.screen(), /^parex \d{8}-/m, 'no live view header');
});
