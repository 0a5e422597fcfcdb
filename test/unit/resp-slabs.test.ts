// Where the pool's log reader reads into (src/pool/resp/read-slabs.ts): reads lie side by side
// in one slab, a nearly full slab is retired, and a retired slab is read into again only once
// every write of what was read before it has settled, never while a log chunk still views it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { SLAB_BYTES, SlabReads } from '../../src/pool/resp/read-slabs.js';

let last: Buffer | null = null;
const track = (chunk: Buffer) => {
  last = chunk;
};

/** One socket read of `bytes` into the buffer the slabs hand out; the view it was given as. */
function read(slabs: SlabReads, bytes: number, fill: number): Buffer {
  const into = slabs.onread.buffer();
  into.fill(fill, 0, bytes);
  slabs.onread.callback(bytes, into);
  return last as Buffer;
}

test('reads lie side by side; a slab is reused only after the writes of what it holds', async () => {
  const slabs = new SlabReads(track);
  const first = read(slabs, 1000, 1);
  const second = read(slabs, 2000, 2);
  assert.equal(second.buffer, first.buffer);
  assert.equal(second.byteOffset, first.byteOffset + 1000);
  // Fill the slab: the next read goes to a fresh one.
  read(slabs, SLAB_BYTES - 3000 - 1000, 3);
  const fresh = read(slabs, 10, 4);
  assert.notEqual(fresh.buffer, first.buffer);
  assert.equal(slabs.current, 1);
  let write: () => void = () => {};
  const written = new Promise<void>((resolve) => {
    write = resolve;
  });
  slabs.recycleAfter([written]);
  // A later reply whose writes are done does not recycle before the earlier one's.
  slabs.recycleAfter([]);
  read(slabs, SLAB_BYTES - 10 - 1000, 5);
  await new Promise((resolve) => setImmediate(resolve));
  const whileWriting = read(slabs, 10, 6);
  assert.notEqual(whileWriting.buffer, first.buffer, 'not reused while its chunk is written');
  assert.deepEqual(first, Buffer.alloc(1000, 1));
  write();
  await new Promise((resolve) => setImmediate(resolve));
  read(slabs, SLAB_BYTES - 10 - 1000, 7);
  const after = read(slabs, 10, 8);
  assert.equal(after.buffer, first.buffer, 'reused once written');
  // A failed write recycles as well (the chunk is not written again).
  slabs.recycleAfter([Promise.reject(new Error('disk full'))]);
  await new Promise((resolve) => setImmediate(resolve));
});
