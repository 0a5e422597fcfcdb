import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { runCli } from '../helpers/cli.js';
import { parexEnv, withPeakRss } from '../helpers/exec.js';
import { CLI_PATH } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

/** A job writing COUNT lines of 1,000 characters, each in three pieces, as fast as it can. */
function writer(tag: string, count: number): string {
  return `i=0; while [ $i -lt ${count} ]; do printf '${tag}-%d-' $i; printf '%0400d' 0; printf '%0590d\\n' 0; i=$((i+1)); done`;
}

test('--output stream: every line of two jobs writing at once, whole and prefixed, on stdout', async (t) => {
  const run = await runCli(
    [
      'exec',
      '--output',
      'stream',
      '--names',
      'a,b,quiet',
      '--',
      writer('A', 300),
      writer('B', 300),
      "printf 'no newline yet'; sleep 2.5; echo ' then the rest'; printf 'last piece'",
    ],
    { cwd: tempDir(t), env: parexEnv(null) },
  );
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.split('\n');
  assert.equal(lines.pop(), '', 'stdout ends with a whole line');
  for (const tag of ['A', 'B']) {
    const own = lines.filter((line) => line.startsWith(`[${tag.toLowerCase()}] `));
    assert.equal(own.length, 300);
    own.forEach((line, index) => {
      assert.match(line, new RegExp(`^\\[${tag.toLowerCase()}\\] ${tag}-${index}-0{990}$`));
    });
  }
  // A partial line is written after a second of silence, and the last one at the job's end.
  const quiet = lines.filter((line) => line.startsWith('[quiet] '));
  assert.deepEqual(quiet, [
    '[quiet] no newline yet',
    '[quiet]  then the rest',
    '[quiet] last piece',
  ]);
  assert.equal(lines.length, 603, 'no line of any other shape');
  assert.match(run.stderr, /^\[parex\] finished a /m);
  assert.doesNotMatch(run.stdout, /\[parex\]/);
});

test('--output errors (the default): after the summary, each failed job with its command and last 20 lines, redacted and clean', async (t) => {
  const run = await runCli(
    [
      'exec',
      '--secret-env',
      'MY_WORDS',
      '--names',
      'fine,broken,slow',
      '--timeout',
      '1',
      '--kill-after',
      '0.2',
      '--',
      'echo all good',
      'for i in $(seq 1 30); do echo "line $i"; done; printf "\\033[31mred\\033[0m key=$MY_API_KEY $MY_WORDS\\n"; exit 4',
      'echo waiting; sleep 10',
    ],
    { cwd: tempDir(t), env: parexEnv(null, { MY_API_KEY: 'sk-verysecret', MY_WORDS: 'hushhush' }) },
  );
  assert.equal(run.code, 1, run.stderr);
  const after = run.stderr.slice(run.stderr.indexOf('  manifest: '));
  const tail = after.split('\n').slice(1);
  assert.match(tail[0] ?? '', /^── broken · FAILED \(exit 4\) · \.parex\/runs\/\S+\/broken\.log$/);
  assert.match(tail[1] ?? '', /^ {2}\$ for i in \$\(seq 1 30\); do echo "line \$i"; done;/);
  assert.deepEqual(tail.slice(2, 22), [
    ...Array.from({ length: 19 }, (_, i) => `  │ line ${i + 12}`),
    '  │ red key=*** ***',
  ]);
  assert.match(tail[22] ?? '', /^── slow · TIMEOUT \(exceeded 1s\) · /);
  assert.equal(tail[23], '  $ echo waiting; sleep 10');
  assert.equal(tail[24], '  │ waiting');
  assert.doesNotMatch(run.stderr, /sk-verysecret|hushhush|│ all good|── fine/);
  assert.match(run.stderr, /^ {2}broken +for i in \$\(seq 1 30\); do echo "… +FAILED/m);
});

test('--output none and PAREX_OUTPUT=none: status lines only, no tails, no progress', async (t) => {
  for (const [args, env] of [
    [['--output', 'none'], {}],
    [[], { PAREX_OUTPUT: 'none' }],
  ] as const) {
    const run = await runCli(['exec', ...args, '--', 'echo secret-of-the-log; exit 3'], {
      cwd: tempDir(t),
      env: parexEnv(null, env),
    });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^\[parex\] finished job1 .*FAILED \(exit 3\)/m);
    assert.doesNotMatch(run.stderr, /│ secret-of-the-log|── job1|done, \d+ running/);
  }
});

test('plain progress: a line after each change, and every 10 s while nothing changes', async (t) => {
  const run = await runCli(
    ['exec', '-j', '2', '--', 'sleep 0.3', 'exit 2', 'sleep 13', 'sleep 1.5'],
    { cwd: tempDir(t), env: parexEnv(null) },
  );
  assert.equal(run.code, 1);
  const progress = run.stderr.split('\n').filter((line) => /^\[parex\] \d+\/4 done/.test(line));
  assert.match(progress[0] ?? '', /^\[parex\] [01]\/4 done, [12] running, [01] failed, ETA \S+$/);
  assert.ok(
    progress.some((line) => /^\[parex\] 2\/4 done, 2 running, 1 failed, ETA \S+$/.test(line)),
    progress.join('\n'),
  );
  assert.equal(progress.at(-1), '[parex] 4/4 done, 0 running, 1 failed');
  // sleep 13 runs alone for about 11 s after sleep 1.5 ends: one line in between, ETA unknown.
  const idle = progress.filter(
    (line) => line === '[parex] 3/4 done, 1 running, 1 failed, ETA unknown',
  );
  assert.ok(idle.length >= 2, progress.join('\n'));
  // Progress lines come before the summary.
  assert.ok(run.stderr.indexOf('4/4 done') < run.stderr.indexOf('parex: summary'));
});

test('a bad --output, PAREX_OUTPUT or defaults.output is a usage error before anything runs', async (t) => {
  const dir = tempDir(t);
  const flag = await runCli(['exec', '--output', 'all', '--', 'touch ran'], { cwd: dir });
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /--output must be one of errors, stream, none; got "all"/);
  const env = await runCli(['exec', '--', 'touch ran'], {
    cwd: dir,
    env: parexEnv(null, { PAREX_OUTPUT: 'loud' }),
  });
  assert.equal(env.code, 2);
  assert.match(env.stderr, /PAREX_OUTPUT must be one of errors, stream, none; got "loud"/);
  const both = await runCli(['exec', '--json', '--output', 'stream', '--', 'touch ran'], {
    cwd: dir,
  });
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--json and --output stream cannot go together/);
  writeFileSync(
    path.join(dir, 'flow.yaml'),
    'name: f\ndefaults: { agent: command, output: everything }\nphases:\n  - { id: a, command: "touch ran" }\n',
  );
  const file = await runCli(['run', 'flow.yaml'], { cwd: dir });
  assert.equal(file.code, 2);
  assert.match(file.stderr, /output/);
  const streamed = path.join(dir, 'streamed.yaml');
  writeFileSync(
    streamed,
    'name: s\ndefaults: { agent: command, output: stream }\nphases:\n  - { id: a, command: "echo from the phase" }\n',
  );
  const ok = await runCli(['run', 'streamed.yaml'], { cwd: dir });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, '[a] from the phase\n');
  const overridden = await runCli(['run', 'streamed.yaml', '--output', 'none'], { cwd: dir });
  assert.equal(overridden.stdout, '');
  assert.ok(!existsSync(path.join(dir, 'ran')), 'nothing ran before the errors');
});

test('a job printing 280 MB in stream mode: every line reaches stdout and parex memory stays flat', async (t) => {
  const dir = tempDir(t);
  const child = spawn(
    process.execPath,
    [
      CLI_PATH,
      'exec',
      '--output',
      'stream',
      '--names',
      'big',
      '--',
      "yes 'a line of text that repeats' | head -c 280000000",
    ],
    { cwd: dir, env: { ...parexEnv(null), NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let lines = 0;
  let bad = 0;
  let rest = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    lines += parts.length;
    for (const part of parts) if (part !== '[big] a line of text that repeats') bad += 1;
  });
  const done = new Promise<number | null>((resolve) => child.once('close', resolve));
  const { run: code, peak } = await withPeakRss(child.pid as number, done);
  assert.equal(code, 0);
  assert.equal(bad, 0);
  assert.equal(rest, '');
  assert.equal(lines, 10_000_000);
  assert.ok(peak !== null && peak < 150 * 1024 * 1024, `peak RSS ${peak}`);
});
