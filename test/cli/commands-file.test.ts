// parex exec -a FILE and -a - (stdin): one command per line, blank lines and # comments
// skipped, names from --names or job1..N.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { parseCommands } from '../../src/cli/commands-file.js';
import { runCli } from '../helpers/cli.js';
import { endLines, parexEnv, startLines } from '../helpers/exec.js';
import { manifestLines } from '../helpers/manifest.js';
import { CLI_PATH } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

const FILE = [
  '# build the pieces',
  'echo one > one.out',
  '',
  '   # an indented comment',
  'echo "two # not a comment" > two.out\r',
  '   ',
  'exit 3',
  '',
].join('\n');

test('parseCommands skips blank lines and comments, keeps the rest of each line', () => {
  assert.deepEqual(parseCommands(FILE), [
    'echo one > one.out',
    'echo "two # not a comment" > two.out',
    'exit 3',
  ]);
});

test('-a FILE runs one job per command line, named job1..N', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'commands.txt'), FILE);
  const run = await runCli(['exec', '-j', '2', '-a', 'commands.txt', '--log-dir', 'logs'], {
    cwd: dir,
    env: parexEnv(null),
  });
  assert.equal(run.code, 1, run.stderr);
  const lines = manifestLines(path.join(dir, 'logs', 'manifest.jsonl'));
  assert.deepEqual(
    startLines(lines).map((line) => [line.phase, line.command]),
    [
      ['job1', 'echo one > one.out'],
      ['job2', 'echo "two # not a comment" > two.out'],
      ['job3', 'exit 3'],
    ],
  );
  assert.deepEqual(
    endLines(lines)
      .map((line) => [line.phase, line.exit_code])
      .sort(),
    [
      ['job1', 0],
      ['job2', 0],
      ['job3', 3],
    ],
  );
  assert.ok(readdirSync(dir).includes('two.out'));
});

test('-a - reads the commands from stdin, with --names', async (t) => {
  const dir = tempDir(t);
  const child = spawn(
    process.execPath,
    [CLI_PATH, 'exec', '--commands-file', '-', '--names', 'a,b', '--log-dir', 'logs'],
    { cwd: dir, env: { ...parexEnv(null), NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.end('echo from-stdin\n\n# skipped\ntrue\n');
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  assert.equal(code, 0, stderr);
  const starts = startLines(manifestLines(path.join(dir, 'logs', 'manifest.jsonl')));
  assert.deepEqual(
    starts.map((line) => [line.phase, line.command]),
    [
      ['a', 'echo from-stdin'],
      ['b', 'true'],
    ],
  );
});

test('-a with a file of only comments is a usage error, nothing written', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'empty.txt'), '# nothing\n\n');
  const run = await runCli(['exec', '-a', 'empty.txt'], { cwd: dir, env: parexEnv(null) });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /the commands file empty\.txt holds no command/);
  assert.deepEqual(readdirSync(dir), ['empty.txt']);
});

test('-a with 60 commands: the summary counts the successes it did not keep, lists the failures; --json keeps every result', async (t) => {
  const dir = tempDir(t);
  const lines = Array.from({ length: 60 }, (_, i) =>
    i === 2 ? 'exit 3' : i === 49 ? 'exit 4' : 'true',
  );
  writeFileSync(path.join(dir, 'commands.txt'), `${lines.join('\n')}\n`);
  const run = await runCli(['exec', '-j', '8', '-a', 'commands.txt', '--log-dir', 'logs'], {
    cwd: dir,
    env: { ...parexEnv(null), NO_COLOR: '1' },
  });
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /^ {2}job3 +exit 3 +FAILED \(exit 3\)/m);
  assert.match(run.stderr, /^ {2}job50 +exit 4 +FAILED \(exit 4\)/m);
  assert.match(run.stderr, /^ {2}\.\.\. 58 more jobs \(58 succeeded\): /m);
  assert.match(run.stderr, /^ {2}failed: 2 of 60: job3 \(exit 3\), job50 \(exit 4\)$/m);
  assert.match(run.stderr, /speedup \d+\.\d\dx/);
  assert.equal(endLines(manifestLines(path.join(dir, 'logs', 'manifest.jsonl'))).length, 60);
  const json = await runCli(['exec', '--json', '-a', 'commands.txt', '--log-dir', 'json'], {
    cwd: dir,
    env: parexEnv(null),
  });
  const summary = JSON.parse(json.stdout.trim().split('\n').at(-1) ?? '{}') as {
    type: string;
    results: unknown[];
    omitted: number;
  };
  assert.equal(summary.type, 'summary');
  assert.equal(summary.results.length, 60);
  assert.equal(summary.omitted, 0);
});
