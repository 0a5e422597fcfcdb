// The fork server's wire format: requests framed by byte length, replies decoded to exact endings.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { decodeReply, encodeRequest } from '../../src/process/fork-server/protocol.js';

test('a request is its byte length, a newline, then NUL-separated fields with NAME=value pairs', () => {
  const encoded = encodeRequest(7, {
    argv: ['/bin/sh', '-c', 'echo é'],
    cwd: '/tmp',
    logPath: '/tmp/a.log',
    env: { A: '1', SKIPPED: undefined, B: 'x=y' },
  });
  const [length, body] = [
    encoded.slice(0, encoded.indexOf('\n')),
    encoded.slice(encoded.indexOf('\n') + 1),
  ];
  assert.equal(Number(length), Buffer.byteLength(body), 'bytes, not characters');
  assert.deepEqual(body.split('\0'), [
    '7',
    '/tmp',
    '/tmp/a.log',
    '3',
    '/bin/sh',
    '-c',
    'echo é',
    'A=1',
    'B=x=y',
  ]);
});

test('a NUL byte anywhere is refused with a TypeError, as spawn refuses it', () => {
  const request = { argv: ['a\0b'] as [string], cwd: '/', logPath: '/tmp/l', env: {} };
  assert.throws(() => encodeRequest(1, request), TypeError);
  assert.throws(() => encodeRequest(1, { ...request, argv: ['ok'], env: { A: 'x\0' } }), TypeError);
});

test('replies: started, failed with stage and errno, ended by exit code or by signal, with the reap time', () => {
  assert.deepEqual(decodeReply('S 3 1234'), { kind: 'started', id: 3, pid: 1234 });
  assert.deepEqual(decodeReply('E 4 chdir 2'), { kind: 'failed', id: 4, stage: 'chdir', errno: 2 });
  assert.deepEqual(decodeReply('X 5 99 768 '), {
    kind: 'ended',
    id: 5,
    code: 3,
    signal: null,
    at: null,
  });
  assert.deepEqual(decodeReply('X 6 99 9 1500250'), {
    kind: 'ended',
    id: 6,
    code: null,
    signal: 'SIGKILL',
    at: 1500.25,
  });
  assert.deepEqual(
    decodeReply('X 6 99 143 7'),
    { kind: 'ended', id: 6, code: null, signal: 'SIGTERM', at: 0.007 },
    'core-dump bit ignored',
  );
  assert.equal(decodeReply('garbage'), null);
  assert.equal(decodeReply(''), null);
});
