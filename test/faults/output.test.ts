// Output that could hurt the runner: 300 MB at full speed (the log is complete, parex's peak
// memory stays under 150 MB because the job writes straight into the file), and binary / invalid
// UTF-8 (the log holds the exact bytes; the manifest, status, report and --json still work).
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import { endLines, onlyLineOf, parexEnv, startCli, withPeakRss } from '../helpers/exec.js';
import { assertNoneMarked, statusJson, wholeManifest } from '../helpers/faults.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

const BYTES = 300_000_000;
const RSS_LIMIT = 150 * 1024 * 1024;
const LINE = 'parex-output-line\n';

/** `length` bytes of `file` from `position`. */
function readSlice(file: string, position: number, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, position);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

test('300 MB at full speed: the log is complete and parex peak RSS stays under 150 MB', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const { child, done } = startCli(
    [
      'exec',
      '--names',
      'flood',
      '--log-dir',
      'logs',
      '--',
      `yes parex-output-line | head -c ${BYTES}`,
    ],
    { cwd: dir, env: parexEnv(marker) },
  );
  const pid = child.pid;
  assert.ok(pid !== undefined);
  const measured = await withPeakRss(pid, done);
  const { run } = measured;

  assert.equal(run.code, 0, run.stderr);
  assertNoneMarked(marker);
  const peak = measured.peak ?? Number.POSITIVE_INFINITY;
  t.diagnostic(`parex peak RSS ${(peak / 1024 / 1024).toFixed(1)} MB`);
  assert.ok(peak < RSS_LIMIT, `parex peak RSS ${(peak / 1024 / 1024).toFixed(1)} MB`);
  const log = path.join(dir, 'logs', 'flood.log');
  assert.equal(statSync(log).size, BYTES);
  const whole = LINE.repeat(Math.ceil(65_536 / LINE.length) + 2);
  assert.equal(readSlice(log, 0, 65_536).toString(), whole.slice(0, 65_536));
  // The file ends mid-line, where head cut it: BYTES is not a multiple of the line length.
  const offset = (BYTES - 65_536) % LINE.length;
  assert.equal(
    readSlice(log, BYTES - 65_536, 65_536).toString(),
    whole.slice(offset, offset + 65_536),
  );
  const end = onlyLineOf(
    endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl'))),
    'flood',
  );
  assert.equal(end.outcome, 'success');
});

test('binary and invalid UTF-8 output: exact bytes in the log; manifest, status, report, --json work', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  // Bytes that are not UTF-8, a NUL, a lone continuation byte and a terminal escape sequence.
  const nasty = "printf '\\377\\376\\033[2J\\000 broken \\303\\050 \\200 end'";
  const run = await runCli(
    [
      'exec',
      '--json',
      '--names',
      'noise,broken',
      '--log-dir',
      'logs',
      '--',
      'head -c 100000 /dev/urandom | tee noise.bin',
      `head -c 5000 /dev/urandom | tee broken.bin; ${nasty}; exit 3`,
    ],
    { cwd: dir, env: parexEnv(marker) },
  );

  assert.equal(run.code, 1, run.stderr);
  assertNoneMarked(marker);
  for (const line of run.stdout.split('\n').filter((l) => l !== '')) JSON.parse(line);
  assert.ok(
    readFileSync(path.join(dir, 'logs', 'noise.log')).equals(
      readFileSync(path.join(dir, 'noise.bin')),
    ),
    'noise.log differs from what the job wrote',
  );
  const tail = Buffer.from([
    0xff,
    0xfe,
    0x1b,
    ...Buffer.from('[2J'),
    0x00,
    ...Buffer.from(' broken '),
    0xc3,
    0x28,
    0x20,
    0x80,
    ...Buffer.from(' end'),
  ]);
  assert.ok(
    readFileSync(path.join(dir, 'logs', 'broken.log')).equals(
      Buffer.concat([readFileSync(path.join(dir, 'broken.bin')), tail]),
    ),
    'broken.log differs from what the job wrote',
  );
  const ends = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  assert.equal(onlyLineOf(ends, 'noise').outcome, 'success');
  assert.equal(onlyLineOf(ends, 'broken').exit_code, 3);

  const states = Object.fromEntries(
    (await statusJson(dir, 'logs')).map((job) => [job.name, job.state]),
  );
  assert.deepEqual(states, { noise: 'success', broken: 'failed' });
  const table = await runCli(['status', '--log-dir', 'logs'], { cwd: dir });
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^broken +FAILED +3 /m);
  const report = await runCli(['report', '--log-dir', 'logs', '--html', 'report.html'], {
    cwd: dir,
  });
  assert.equal(report.code, 0, report.stderr);
  assert.match(report.stdout, /broken/);
  const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
  assert.match(html, /<\/html>\s*$/);
  for (const byte of ['\u001b', '\u0000'])
    assert.ok(!html.includes(byte), `a raw ${JSON.stringify(byte)} in the HTML report`);
});
