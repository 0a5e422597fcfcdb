// The pool's --redis URL: redis:// and rediss:// with user, password and database, shown
// without the password; anything else is a usage error that says what to give.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isUsageError } from '../../src/errors.js';
import { parseRedisUrl } from '../../src/pool/redis-url.js';

test('redis:// and rediss:// URLs become connection options, the password hidden when shown', () => {
  assert.deepEqual(parseRedisUrl('redis://127.0.0.1:6380'), {
    host: '127.0.0.1',
    port: 6380,
    db: 0,
    shown: 'redis://127.0.0.1:6380',
  });
  const tls = parseRedisUrl('rediss://parex:p%40ss@redis.internal/3');
  assert.equal(tls.host, 'redis.internal');
  assert.equal(tls.port, 6379);
  assert.equal(tls.username, 'parex');
  assert.equal(tls.password, 'p@ss');
  assert.equal(tls.db, 3);
  assert.deepEqual(tls.tls, { servername: 'redis.internal' });
  assert.equal(tls.shown, 'rediss://parex:***@redis.internal/3');
  // TLS takes a server name, never an IP address: the IP is checked against the certificate.
  assert.deepEqual(parseRedisUrl('rediss://127.0.0.1:6380').tls, {});
  assert.deepEqual(parseRedisUrl('rediss://[::1]:6380').tls, {});
  assert.equal(parseRedisUrl('redis://:only-password@h').password, 'only-password');
  assert.equal(parseRedisUrl('redis://[::1]:7000').host, '::1');
});

test('what is not a Redis URL is a usage error that never prints the password', () => {
  for (const [text, why] of [
    ['localhost:6379', /scheme is localhost:/],
    ['http://h', /scheme is http:/],
    ['redis://h/x', /database x is not a number/],
    ['not a url at all', /not a URL/],
    ['redis://u:secret@h:99999', /not a URL/],
  ] as const) {
    assert.throws(
      () => parseRedisUrl(text, 'PAREX_REDIS'),
      (error: unknown) => {
        assert.ok(isUsageError(error));
        assert.match(error.what, /^PAREX_REDIS ".*" is not a Redis URL$/);
        assert.match(error.why, why);
        assert.match(error.fix, /redis:\/\/\[USER:PASSWORD@\]HOST/);
        assert.doesNotMatch(error.message, /secret/);
        return true;
      },
    );
  }
});
