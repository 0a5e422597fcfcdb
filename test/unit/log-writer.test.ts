// The coordinator's log copy: chunks written in order across many flushes, byte-exact; a failed
// write (a full disk) stops the copy with the error in words and the bytes that made it; the
// file is opened as every log parex writes (never through a link, never a device).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { LogWriter } from '../../src/pool/log-writer.js';
import { smallDisk } from '../helpers/faults.js';
import { tempDir } from '../helpers/tmp.js';

test('chunks land in order, byte for byte, whatever the flushes', async (t) => {
  const file = path.join(tempDir(t), 'job.log');
  const writer = new LogWriter(file);
  const chunks = Array.from({ length: 300 }, (_, i) => Buffer.alloc(1000 + i, i % 251));
  const flushes: Promise<void>[] = [];
  chunks.forEach((chunk, i) => {
    writer.add(chunk);
    if (i % 7 === 0) flushes.push(writer.flush());
  });
  await Promise.all(flushes);
  await writer.close();
  const expected = Buffer.concat(chunks);
  assert.equal(writer.written, expected.length);
  assert.equal(writer.error, null);
  assert.ok(readFileSync(file).equals(expected));
});

test('a full disk stops the copy and says why', async (t) => {
  const disk = smallDisk(t, '64k');
  if (disk === null) {
    t.skip('cannot mount a tmpfs here (needs root)');
    return;
  }
  // The disk is filled first; the log's first write then finds no room.
  spawnSync('sh', ['-c', `head -c 1048576 /dev/zero > ${disk}/fill`]);
  const writer = new LogWriter(path.join(disk, 'job.log'));
  writer.add(Buffer.alloc(8192, 1));
  await writer.flush();
  writer.add(Buffer.from('more\n'));
  await writer.close();
  assert.equal(writer.written, 0);
  assert.match(String(writer.error), /ENOSPC/);
});

test('the copy is never opened through a link or on a device', (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'precious'), 'keep\n');
  symlinkSync(path.join(dir, 'precious'), path.join(dir, 'job.log'));
  assert.throws(() => new LogWriter(path.join(dir, 'job.log')), /is a symbolic link/);
  assert.equal(readFileSync(path.join(dir, 'precious'), 'utf8'), 'keep\n');
  assert.throws(() => new LogWriter('/dev/full'), /is a character device/);
});
