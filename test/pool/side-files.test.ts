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
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

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
