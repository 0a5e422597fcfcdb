// Side files on their own: how the coordinator names them in a payload, how a worker places them
// in its side directory, and how the coordinator writes what comes back (never through a link).
import assert from 'node:assert/strict';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { PROTOCOL_VERSION, refusal } from '../../src/pool/protocol.js';
import { packSides, placeSides, sidesOut, writeSide } from '../../src/pool/side-files.js';
import { tempDir } from '../helpers/tmp.js';

test('the payload names side paths, never the coordinator’s; the worker puts its own there', (t) => {
  const coordinator = tempDir(t);
  const last = path.join(coordinator, 'logs', 'p1.last-message.md');
  const home = path.join(coordinator, 'logs', 'p1.codex-home');
  const out = sidesOut(
    [
      { path: last, kind: 'file' },
      { path: home, kind: 'home', agent: 'codex' },
    ],
    ['codex', 'exec', '-o', last, '-'],
    { CODEX_HOME: home, OTHER: 'kept' },
    coordinator,
  );
  assert.ok(!('error' in out));
  assert.deepEqual(out.argv, ['codex', 'exec', '-o', 'p1.last-message.md', '-']);
  assert.deepEqual(out.env, { CODEX_HOME: 'p1.codex-home', OTHER: 'kept' });
  assert.ok(!JSON.stringify(out.side).includes(coordinator));
  assert.equal(out.places.get('p1.last-message.md'), last);

  const worker = tempDir(t);
  const own = path.join(worker, 'own-home');
  mkdirSync(path.join(own, '.codex'), { recursive: true });
  writeFileSync(path.join(own, '.codex', 'config.toml'), 'model = "worker"\n');
  const dir = path.join(worker, '.parex', 'side', 'run', 'p1.1');
  const placed = placeSides(dir, out.side, out.argv, out.env, { HOME: own });
  assert.ok(!('error' in placed));
  assert.deepEqual(placed.argv, ['codex', 'exec', '-o', path.join(dir, 'p1.last-message.md'), '-']);
  assert.equal(placed.env.CODEX_HOME, path.join(dir, 'p1.codex-home'));
  assert.equal(placed.env.OTHER, 'kept');
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(
    readFileSync(path.join(dir, 'p1.codex-home', 'config.toml'), 'utf8'),
    'model = "worker"\n',
    'the home is seeded from the worker’s own configuration',
  );
  writeFileSync(path.join(dir, 'p1.last-message.md'), 'done');
  const back = packSides(placed);
  assert.ok('files' in back);
  assert.deepEqual(
    back.files.map((file) => file.path),
    ['p1.last-message.md'],
  );
  assert.equal(existsSync(path.dirname(dir)), false, 'the worker keeps nothing of it');
  for (const file of back.files) assert.equal(writeSide(out.places, file), null);
  assert.equal(readFileSync(last, 'utf8'), 'done');
});

test('a side name that leaves the side directory is refused; an unknown one is not written', (t) => {
  const dir = path.join(tempDir(t), 'side');
  const bad = [{ path: '../escape', kind: 'file' as const, argv: [2], env: [] }];
  const placed = placeSides(dir, bad, ['x', '-o', '../escape'], {}, {});
  assert.ok('error' in placed);
  assert.match(placed.error, /side file \.\.\/escape would be placed outside/);
  const problem = writeSide(new Map(), { path: 'stray.md', mode: 0o644, data: '' });
  assert.match(String(problem), /the worker sent side file stray\.md, which the job lacks/);
});

test('a side file coming back is never written through a link planted where it lands', (t) => {
  const dir = tempDir(t);
  const target = path.join(dir, 'victim.txt');
  writeFileSync(target, 'mine\n');
  const last = path.join(dir, 'p1.last-message.md');
  symlinkSync(target, last);
  const data = Buffer.from('overwritten').toString('base64');
  const problem = writeSide(new Map([['p1.last-message.md', last]]), {
    path: 'p1.last-message.md',
    mode: 0o644,
    data,
  });
  assert.match(String(problem), /could not be written/);
  assert.equal(readFileSync(target, 'utf8'), 'mine\n');
  assert.ok(lstatSync(last).isSymbolicLink());
});

test('files the job reads travel in the payload; its stdin and its read directory name the worker’s copies', (t) => {
  const coordinator = tempDir(t);
  const logs = path.join(coordinator, 'logs');
  mkdirSync(logs);
  const one = path.join(logs, 'pick-c1.patch');
  const two = path.join(logs, 'pick-c2.patch');
  const gone = path.join(logs, 'pick-c3.patch');
  writeFileSync(one, '+one\n');
  writeFileSync(two, '+two\n');
  const prompt = [
    'Choose.',
    `- candidate 1: ${one}`,
    `- candidate 2: ${two}`,
    `- candidate 3: ${gone}`,
    `again ${one}, not ${one}.bak nor /x${one}`,
    '',
  ].join('\n');
  const files = [
    ...[one, two, gone].map((file) => ({ path: file, kind: 'inbound' as const })),
    { path: logs, kind: 'dir' as const },
  ];
  const argv = ['claude', '-p', '--add-dir', logs] as const;
  const out = sidesOut(files, argv, {}, coordinator, prompt, 'pick');
  assert.ok(!('error' in out));
  assert.deepEqual(out.argv, ['claude', '-p', '--add-dir', '.'], 'no coordinator path');
  const sent = String(out.input);
  // Whole paths only: one that merely contains a side path is left as it is.
  assert.match(sent, /^- candidate 1: pick-c1\.patch$/m);
  assert.match(sent, /again pick-c1\.patch, not \S+pick-c1\.patch\.bak nor \/x\S+pick-c1\.patch/);
  assert.deepEqual(
    out.side.map((entry) => [
      entry.path,
      entry.kind,
      entry.input?.length,
      entry.data !== undefined,
    ]),
    [
      ['pick-c1.patch', 'inbound', 2, true],
      ['pick-c2.patch', 'inbound', 1, true],
      // Absent here, absent on the worker: named all the same.
      ['pick-c3.patch', 'inbound', 1, false],
      // The directory holding them: the worker's side directory.
      ['.', 'dir', undefined, false],
    ],
  );

  // A worker cannot send one back over the coordinator's copy.
  const problem = writeSide(out.places, { path: 'pick-c1.patch', mode: 0o644, data: '' });
  assert.match(String(problem), /the worker sent side file pick-c1\.patch, which the job lacks/);
  assert.equal(readFileSync(one, 'utf8'), '+one\n');

  const dir = path.join(tempDir(t), '.parex', 'side', 'run', 'pick.1');
  const placed = placeSides(dir, out.side, out.argv, out.env, {}, out.input);
  assert.ok(!('error' in placed));
  assert.deepEqual(placed.argv, ['claude', '-p', '--add-dir', dir]);
  const stdin = String(placed.input);
  const mine = (k: number) => path.join(dir, `pick-c${k}.patch`);
  assert.equal(
    stdin,
    [
      'Choose.',
      `- candidate 1: ${mine(1)}`,
      `- candidate 2: ${mine(2)}`,
      `- candidate 3: ${mine(3)}`,
      `again ${mine(1)}, not ${one}.bak nor /x${one}`,
      '',
    ].join('\n'),
  );
  assert.equal(readFileSync(path.join(dir, 'pick-c2.patch'), 'utf8'), '+two\n');
  assert.equal(existsSync(path.join(dir, 'pick-c3.patch')), false);
  const back = packSides(placed);
  assert.ok('files' in back);
  assert.deepEqual(back.files, [], 'what the job read does not come back');
  assert.equal(existsSync(dir), false);
});

test('a payload whose stdin does not hold a side name where it says is refused', (t) => {
  const dir = path.join(tempDir(t), 'side');
  const side = [{ path: 'c1.patch', kind: 'inbound' as const, argv: [], env: [], input: [3] }];
  const placed = placeSides(dir, side, ['claude'], {}, {}, Buffer.from('see c1.patch'));
  assert.ok('error' in placed);
  assert.match(placed.error, /side file c1\.patch is not at byte 3 of the job's stdin/);
  assert.equal(existsSync(dir), false);
});

test('the files a job reads are refused over 32 MiB in all, saying what to do', (t) => {
  const logs = tempDir(t);
  const files = [1, 2].map((k) => {
    const file = path.join(logs, `pick-c${k}.patch`);
    writeFileSync(file, '');
    truncateSync(file, 17 * 1024 * 1024);
    return { path: file, kind: 'inbound' as const };
  });
  const out = sidesOut(files, ['claude'], {}, logs, 'prompt', 'pick');
  assert.ok('error' in out);
  assert.match(
    out.error,
    /the files job pick reads that parex sends to the worker \(a best-of-N judge's candidate patches\) are larger than 32 MiB in all \(at \S+pick-c2\.patch\); .*use a "command" or "score" judge/,
  );
});

test('a worker of protocol version 4 refuses this version’s payloads, naming both versions', () => {
  assert.equal(PROTOCOL_VERSION, 5);
  const payload = { v: PROTOCOL_VERSION, run: 'r', name: 'pick', attempt: 1, argv: ['claude'] };
  assert.equal(refusal(payload), null);
  assert.match(
    String(refusal(payload, 4)),
    /^the job uses pool protocol version 5, newer than this worker's 4: upgrade parex on the worker to the coordinator's version$/,
  );
});
