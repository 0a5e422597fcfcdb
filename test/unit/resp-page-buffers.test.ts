// The page-aligned read buffers of a large log (src/pool/resp/page-buffers.ts): views of one
// memory, each starting a whole number of pages into it, not overlapping, and a file read into
// them byte-exact wherever in the file the read starts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { pageBuffers } from '../../src/pool/resp/page-buffers.js';
import { tempDir } from '../helpers/tmp.js';

test('page buffers are separate views of one memory, each a whole number of pages into it', () => {
  const bytes = 1024 * 1024;
  const buffers = pageBuffers(3, bytes);
  assert.equal(buffers.length, 3);
  for (const [index, buffer] of buffers.entries()) {
    assert.equal(buffer.length, bytes);
    assert.equal(buffer.buffer, buffers[0]?.buffer);
    assert.equal(buffer.byteOffset, index * bytes);
    assert.equal(buffer.byteOffset % 4096, 0);
  }
  for (const [index, buffer] of buffers.entries()) buffer.fill(index + 1);
  for (const [index, buffer] of buffers.entries()) {
    assert.equal(buffer[0], index + 1);
    assert.equal(buffer[bytes - 1], index + 1);
  }
});

test('a file read into page buffers comes back byte-exact from any offset', (t) => {
  const file = path.join(tempDir(t), 'log');
  const content = randomBytes(3 * 65536 + 123);
  writeFileSync(file, content);
  const [buffer] = pageBuffers(1, 65536);
  assert.ok(buffer !== undefined);
  const fd = openSync(file, 'r');
  try {
    for (const start of [0, 1, 4095, 65536, 2 * 65536 + 7]) {
      const got: number = readSync(fd, buffer, 0, buffer.length, start);
      assert.equal(got, Math.min(buffer.length, content.length - start));
      assert.deepEqual(buffer.subarray(0, got), content.subarray(start, start + got));
    }
  } finally {
    closeSync(fd);
  }
});
