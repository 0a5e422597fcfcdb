// The coordinator's log copy: chunks written in order across many flushes, byte-exact; a failed
// write (a full disk) stops the copy with the error in words and the bytes that made it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { LogWriter } from '../../src/pool/log-writer.js';
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

test('a full disk stops the copy and says why', async () => {
  const writer = new LogWriter('/dev/full');
  writer.add(Buffer.from('hello\n'));
  await writer.flush();
  writer.add(Buffer.from('more\n'));
  await writer.close();
  assert.equal(writer.written, 0);
  assert.match(String(writer.error), /ENOSPC/);
});
