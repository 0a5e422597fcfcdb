// The pool's own RESP2 reader and writer (src/pool/resp/): replies split at every byte boundary,
// bulk strings spanning reads (views when the reads lie side by side), nil replies, error
// replies, malformed bytes, and commands written as header + uncopied data.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { encodeCommand } from '../../src/pool/resp/command.js';
import {
  joined,
  ReplyParser,
  RespError,
  type RespValue,
} from '../../src/pool/resp/reply-parser.js';

/** An XREAD reply of two streams (one of them with a 300-byte log chunk), then other replies. */
const data = Buffer.alloc(300, 0x61);
data[0] = 0x0d; // CR and LF inside a bulk string are data, not line ends.
data[1] = 0x0a;
const wire = Buffer.concat([
  Buffer.from(
    '*2\r\n*2\r\n$6\r\nevents\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$3\r\njob\r\n$5\r\nj.1.1\r\n',
  ),
  Buffer.from(
    '*2\r\n$3\r\nlog\r\n*1\r\n*2\r\n$3\r\n2-5\r\n*4\r\n$1\r\nt\r\n$3\r\nlog\r\n$1\r\nd\r\n$300\r\n',
  ),
  data,
  Buffer.from('\r\n'),
  Buffer.from(
    '*-1\r\n$-1\r\n:42\r\n+OK\r\n-NOGROUP No such key\r\n$0\r\n\r\n*0\r\n-ERR unknown command\r\n',
  ),
]);

function expected(): RespValue[] {
  return [
    [
      [Buffer.from('events'), [[Buffer.from('1-0'), [Buffer.from('job'), Buffer.from('j.1.1')]]]],
      [
        Buffer.from('log'),
        [[Buffer.from('2-5'), ['t', 'log', 'd'].map((s) => Buffer.from(s)).concat([data])]],
      ],
    ],
    null,
    null,
    42,
    'OK',
    new RespError('NOGROUP No such key'),
    Buffer.alloc(0),
    [],
    new RespError('ERR unknown command'),
  ];
}

function parseInPieces(cuts: readonly number[]): RespValue[] {
  const replies: RespValue[] = [];
  const parser = new ReplyParser((reply) => replies.push(reply));
  let from = 0;
  for (const cut of [...cuts, wire.length]) {
    // Each read in a buffer of its own, as from a socket that hands out fresh buffers.
    parser.feed(Buffer.from(wire.subarray(from, cut)));
    from = cut;
  }
  assert.equal(parser.midReply, false);
  return replies;
}

test('replies read whole, or split at every byte boundary, or byte by byte, are the same', () => {
  assert.deepEqual(parseInPieces([]), expected());
  for (let cut = 1; cut < wire.length; cut += 1) {
    assert.deepEqual(parseInPieces([cut]), expected(), `split at byte ${cut}`);
  }
  const everyByte = Array.from({ length: wire.length - 1 }, (_, i) => i + 1);
  assert.deepEqual(parseInPieces(everyByte), expected());
});

test('a bulk string spanning reads that lie side by side in one buffer is a view of it, not a copy', () => {
  const slab = Buffer.from(wire);
  const replies: RespValue[] = [];
  const parser = new ReplyParser((reply) => replies.push(reply));
  const start = wire.indexOf(data);
  for (const [from, to] of [
    [0, start + 7],
    [start + 7, start + 150],
    [start + 150, wire.length],
  ] as const) {
    parser.feed(slab.subarray(from, to));
  }
  const chunk = (
    ((replies[0] as RespValue[])[1] as RespValue[])[1] as RespValue[][]
  )[0]?.[1] as Buffer[];
  const log = chunk[3] as Buffer;
  assert.deepEqual(log, data);
  assert.equal(log.buffer, slab.buffer, 'the log chunk views the reads');
  assert.equal(log.byteOffset, slab.byteOffset + start);
  // Parts in different buffers are copied into one.
  const parts = [Buffer.alloc(2, 0x61), Buffer.alloc(2, 0x62)];
  assert.deepEqual(joined(parts), Buffer.from('aabb'));
  assert.notEqual(joined(parts).buffer, parts[0]?.buffer);
});

test('an unfinished reply is seen as such; bytes that are not RESP2 throw', () => {
  const parser = new ReplyParser(() => assert.fail('no reply is complete'));
  parser.feed(Buffer.from('*2\r\n$5\r\nhel'));
  assert.equal(parser.midReply, true);
  for (const bad of ['?what\r\n', '$abc\r\n', ':12\n', '*1.5\r\n']) {
    assert.throws(() => new ReplyParser(() => {}).feed(Buffer.from(bad)), /reply|number/, bad);
  }
  const long = new ReplyParser(() => {});
  assert.throws(() => {
    for (let i = 0; i < 100; i += 1) long.feed(Buffer.alloc(1024, 0x2b));
  }, /longer than 64 KiB/);
});

test('a command is a header string and its Buffer arguments as they are (no copy)', () => {
  const chunk = Buffer.from('raw\r\nbytes');
  const pieces = encodeCommand(['XADD', 'parex-run:{r}:log:é', '*', 'd', chunk]);
  assert.equal(pieces[1], chunk, 'the chunk itself is written');
  const bytes = Buffer.concat(
    pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece) : piece)),
  );
  assert.equal(
    bytes.toString('latin1'),
    Buffer.from(
      '*5\r\n$4\r\nXADD\r\n$20\r\nparex-run:{r}:log:é\r\n$1\r\n*\r\n$1\r\nd\r\n$10\r\nraw\r\nbytes\r\n',
    ).toString('latin1'),
  );
  assert.deepEqual(encodeCommand(['PING']), ['*1\r\n$4\r\nPING\r\n']);
});
