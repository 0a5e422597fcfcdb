// A pool over TLS (rediss://), end to end: redis-server with a TLS port only and a self-signed
// certificate for localhost, trusted through NODE_EXTRA_CA_CERTS as docs/distributed.md says; a
// worker and a coordinator on it, a large log byte-exact through the log connections (which
// read TLS records as they read plain TCP), and the certificate checked (untrusted: refused).
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { runCli } from '../helpers/cli.js';
import { parexEnv } from '../helpers/exec.js';
import { freePort, REDIS_SERVER, startRedis, startWorker } from '../helpers/pool.js';

test('rediss://: a worker and a coordinator over TLS stream a large log byte-exact', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parex-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2'],
      ...['-keyout', key, '-out', cert, '-subj', '/CN=localhost'],
      ...['-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    ],
    { stdio: 'ignore' },
  );
  const port = await freePort();
  const redis: ChildProcess = spawn(
    REDIS_SERVER,
    [
      ...['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1'],
      ...['--save', '', '--appendonly', 'no', '--tls-auth-clients', 'no'],
      ...['--tls-cert-file', cert, '--tls-key-file', key, '--tls-ca-cert-file', cert],
    ],
    { cwd: dir, stdio: 'ignore' },
  );
  const gone = once(redis, 'exit');
  t.after(async () => {
    redis.kill('SIGTERM');
    await gone;
  });
  const url = `rediss://localhost:${port}`;
  const trusted = { NODE_EXTRA_CA_CERTS: cert };
  // Up once its TLS port takes connections.
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (Date.now() > deadline) assert.fail('redis-server with TLS did not listen');
    await sleep(50);
  }
  const worker = await startWorker(url, 'tls1', dir, ['--concurrency', '2'], trusted);
  t.after(() => worker.stop());
  const job = 'seq 1 2000000';
  const run = await runCli(['exec', '--redis', url, '--log-dir', 'logs', '--', job, 'echo small'], {
    cwd: dir,
    env: parexEnv(null, trusted),
    limitMs: 60_000,
  });
  assert.equal(run.code, 0, run.stderr);
  const expected = execFileSync('sh', ['-c', job], { maxBuffer: 64 << 20 });
  assert.ok(readFileSync(path.join(dir, 'logs', 'job1.log')).equals(expected), 'byte-exact');
  assert.equal(readFileSync(path.join(dir, 'logs', 'job2.log'), 'utf8'), 'small\n');
  // Without the CA the certificate is not trusted: a usage error before anything runs.
  const untrusted = await runCli(['exec', '--redis', url, '--', 'true'], {
    cwd: dir,
    env: parexEnv(null),
  });
  assert.equal(untrusted.code, 2, untrusted.stderr);
  assert.match(untrusted.stderr, /cannot reach Redis at rediss:\/\/localhost.*certificate/);
  // An IP address is checked against the certificate's IP names; TLS sends no server name for
  // it (Node warns DEP0123 when one is set).
  const byIp = await runCli(['exec', '--redis', `rediss://127.0.0.1:${port}`, '--', 'true'], {
    cwd: dir,
    env: parexEnv(null, trusted),
    limitMs: 60_000,
  });
  assert.equal(byIp.code, 0, byIp.stderr);
  assert.doesNotMatch(byIp.stderr + byIp.stdout, /DEP0123|DeprecationWarning/);
});

test('rediss:// to a plain-text port: a usage error that hints at TLS, no Node warning', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parex-tls-plain-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const plain = await startRedis();
  t.after(() => plain.stop());
  const run = await runCli(['exec', '--redis', `rediss://127.0.0.1:${plain.port}`, '--', 'true'], {
    cwd: dir,
    env: parexEnv(null),
    limitMs: 60_000,
  });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /cannot reach Redis at rediss:\/\/127\.0\.0\.1:\d+/);
  assert.match(run.stderr, /is it a TLS port\? .*use redis:\/\/ for a plain one/);
  assert.doesNotMatch(run.stderr + run.stdout, /DEP0123|DeprecationWarning/);
  assert.equal(existsSync(path.join(dir, '.parex')), false);
});

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
