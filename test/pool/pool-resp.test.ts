// The pool's own connection for log streams (src/pool/resp/) against a real redis-server: the
// URL's ACL user, password and database honoured, chunks byte-exact both ways, error replies,
// a connection lost mid-reply; and, end to end, logs of concurrent jobs byte-exact (every line
// different, so a chunk out of place shows) while the reader's connection is killed under it,
// or the worker's.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { parseRedisUrl } from '../../src/pool/redis-url.js';
import { RespConnection } from '../../src/pool/resp/connection.js';
import { RespError } from '../../src/pool/resp/reply-parser.js';
import { runCli } from '../helpers/cli.js';
import { parexEnv } from '../helpers/exec.js';
import { filePool } from '../helpers/pool.js';
import { tempDir } from '../helpers/tmp.js';

const pool = filePool('parex-resp', { before, after }, {}, async (started) => {
  await started.worker('r1', 4);
});

async function admin(...args: string[]): Promise<unknown> {
  const connection = await RespConnection.open(parseRedisUrl(pool.redis.url), 'test-admin');
  try {
    return await connection.send(args);
  } finally {
    connection.close();
  }
}

test('an ACL user with a password, and a database: chunks go in and come back byte-exact', async () => {
  await admin('ACL', 'SETUSER', 'respuser', 'on', '>resp-pw', '~parex-run:*', '+@all', '-@admin');
  const url = `redis://respuser:resp-pw@127.0.0.1:${pool.redis.port}/3`;
  const connection = await RespConnection.open(parseRedisUrl(url), 'parex:test:logs');
  const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(65_536 - i, i));
  const ids = await Promise.all(
    chunks.map((chunk) => connection.send(['XADD', 'parex-run:{t}:log:a.1', '*', 'd', chunk])),
  );
  assert.equal(ids.length, 40);
  const reply = (await connection.send(['XRANGE', 'parex-run:{t}:log:a.1', '-', '+'])) as [
    Buffer,
    Buffer[],
  ][];
  assert.deepEqual(
    reply.map(([, fields]) => fields[1]),
    chunks,
  );
  // In database 3, not 0; and its name is the one given.
  assert.equal(await connection.send(['EXISTS', 'parex-run:{t}:log:a.1']), 1);
  assert.equal(await admin('EXISTS', 'parex-run:{t}:log:a.1'), 0);
  assert.match(String(await admin('CLIENT', 'LIST')), /name=parex:test:logs /);
  // An error reply fails its command only; the ACL is Redis's to enforce.
  const nogroup = connection.send(['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'parex-run:x', '>']);
  await assert.rejects(
    nogroup,
    (error) => error instanceof RespError && /NOGROUP/.test(error.message),
  );
  await assert.rejects(connection.send(['SET', 'other', '1']), /NOPERM/);
  assert.equal(await connection.send(['PING']), 'PONG');
  connection.close();
  await assert.rejects(connection.send(['PING']), /lost the connection to Redis/);
  const wrong = parseRedisUrl(url.replace('resp-pw', 'wrong'));
  await assert.rejects(RespConnection.open(wrong, 'x'), /WRONGPASS/);
});

test('commands sent corked (a log batch in one write) are answered in order, byte-exact', async () => {
  const connection = await RespConnection.open(parseRedisUrl(pool.redis.url), 'test-corked');
  try {
    const stream = 'parex-run:{corked}:log:a.1';
    const chunks = Array.from({ length: 16 }, (_, i) => Buffer.alloc(65_536, i + 1));
    const replies = connection.corked(() => [
      ...chunks.map((chunk) => connection.send(['XADD', stream, '*', 'd', chunk])),
      // An error among them fails its own command only; the ones after it still land.
      connection.send(['XADD', stream, 'not-an-id', 'd', 'x']),
      connection.send(['XADD', stream, '*', 'd', chunks[0] as Buffer]),
      connection.send(['XLEN', stream]),
    ]);
    const settled = await Promise.allSettled(replies);
    assert.deepEqual(
      settled.map((one) => one.status),
      [...chunks.map(() => 'fulfilled'), 'rejected', 'fulfilled', 'fulfilled'],
    );
    assert.equal((settled.at(-1) as PromiseFulfilledResult<unknown>).value, 17);
    const reply = (await connection.send(['XRANGE', stream, '-', '+'])) as [Buffer, Buffer[]][];
    assert.deepEqual(
      reply.map(([, fields]) => fields[1]),
      [...chunks, chunks[0]],
    );
  } finally {
    connection.close();
  }
});

test('a connection lost in the middle of a reply fails the commands waiting on it', async (t) => {
  const server = createServer((socket) => {
    socket.once('data', () => {
      socket.write('+OK\r\n*2\r\n$10\r\nhalf'); // CLIENT SETNAME's reply, then half of PING's.
      setTimeout(() => socket.destroy(), 50);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const { port } = server.address() as { port: number };
  const connection = await RespConnection.open(parseRedisUrl(`redis://127.0.0.1:${port}`), 'x');
  const waiting = [connection.send(['PING']), connection.send(['PING'])];
  for (const one of waiting) await assert.rejects(one, /lost the connection to Redis/);
  await assert.rejects(connection.send(['PING']), /lost the connection/);
  // Bytes that are not RESP end the connection, with what was wrong.
  const garbage = createServer((socket) => socket.once('data', () => socket.write('?x\r\n')));
  garbage.listen(0, '127.0.0.1');
  await once(garbage, 'listening');
  t.after(() => garbage.close());
  const other = (garbage.address() as { port: number }).port;
  await assert.rejects(
    RespConnection.open(parseRedisUrl(`redis://127.0.0.1:${other}`), 'x'),
    /unknown type/,
  );
});

test('concurrent logs arrive byte-exact while the reader’s connection is killed under them', async (t) => {
  const dir = tempDir(t);
  // Every line different: a chunk lost, doubled or out of place changes the digest.
  const jobs = [3_000_000, 2_000_000, 2_500_000, 1_000_000].map((n) => `seq 1 ${n}`);
  let kills = 0;
  const killer = setInterval(() => {
    void admin('CLIENT', 'LIST')
      .then(async (list) => {
        const reader = /id=(\d+) .*name=parex:[^ ]+:reader /.exec(String(list));
        if (reader === null) return;
        await admin('CLIENT', 'KILL', 'ID', reader[1] as string);
        kills += 1;
      })
      .catch(() => {});
  }, 400);
  const run = await runCli(
    ['exec', '--redis', pool.redis.url, '--log-dir', 'logs', '--', ...jobs],
    {
      cwd: dir,
      env: parexEnv(null),
      limitMs: 120_000,
    },
  );
  clearInterval(killer);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(kills > 0, 'the reader was killed at least once');
  // Each job's log connection is closed with its job: none is left behind on the worker.
  const deadline = Date.now() + 5000;
  while (/name=parex:r1:logs /.test(String(await admin('CLIENT', 'LIST')))) {
    assert.ok(Date.now() < deadline, 'a log connection outlived its job');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  jobs.forEach((job, index) => {
    const log = readFileSync(path.join(dir, 'logs', `job${index + 1}.log`));
    const expected = execFileSync('sh', ['-c', job], { maxBuffer: 64 << 20 });
    assert.equal(log.length, expected.length, job);
    assert.equal(digest(log), digest(expected), job);
  });
});

function digest(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

test('a worker whose log connection is killed mid-stream sends the rest again, byte-exact', async (t) => {
  const dir = tempDir(t);
  const job = 'seq 1 3000000';
  let killed = false;
  const killer = setInterval(() => {
    if (killed) return;
    void admin('CLIENT', 'LIST')
      .then(async (list) => {
        const sender = /id=(\d+) .*name=parex:r1:logs /.exec(String(list));
        if (sender === null || killed) return;
        killed = true;
        await admin('CLIENT', 'KILL', 'ID', sender[1] as string);
      })
      .catch(() => {});
  }, 20);
  const run = await runCli(['exec', '--redis', pool.redis.url, '--log-dir', 'logs', '--', job], {
    cwd: dir,
    env: parexEnv(null),
    limitMs: 120_000,
  });
  clearInterval(killer);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(killed, 'the log connection was killed');
  const log = readFileSync(path.join(dir, 'logs', 'job1.log'));
  const expected = execFileSync('sh', ['-c', job], { maxBuffer: 64 << 20 });
  // Chunks whose replies the kill swallowed are sent again, and known by their offsets here.
  assert.equal(log.length, expected.length);
  assert.equal(digest(log), digest(expected));
});
