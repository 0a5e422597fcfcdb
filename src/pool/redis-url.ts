// The pool's address: a redis:// or rediss:// URL (user and password allowed), checked and
// turned into connection options; shown to people without its password.
import { isIP } from 'node:net';

import { UsageError } from '../errors.js';

/** How to reach Redis, as ioredis takes it. */
export interface RedisAddress {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly db: number;
  /** Present for rediss://: TLS, with the host name checked against the certificate (an IP
   * address is checked too, but sent as no server name: TLS allows names only). */
  readonly tls?: { readonly servername?: string };
  /** The URL without its password, for messages. */
  readonly shown: string;
}

/** Parses `--redis URL` (or PAREX_REDIS); a UsageError that says what is wrong with it. */
export function parseRedisUrl(text: string, source = '--redis'): RedisAddress {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw invalid(source, text.replace(/\/\/([^:@/]*):[^@]*@/, '//$1:***@'), 'it is not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw invalid(
      source,
      hidePassword(url),
      `its scheme is ${url.protocol} (not redis: or rediss:)`,
    );
  }
  const db = url.pathname === '' || url.pathname === '/' ? 0 : Number(url.pathname.slice(1));
  if (!Number.isInteger(db) || db < 0) {
    throw invalid(
      source,
      hidePassword(url),
      `the database ${url.pathname.slice(1)} is not a number`,
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  return {
    host,
    port: url.port === '' ? 6379 : Number(url.port),
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    db,
    ...(url.protocol === 'rediss:' ? { tls: isIP(host) === 0 ? { servername: host } : {} } : {}),
    shown: hidePassword(url),
  };
}

/** What to check when a rediss:// address does not answer: a plain port never completes TLS. */
export function tlsHint(address: RedisAddress): string {
  return address.tls === undefined
    ? ''
    : '; is it a TLS port? rediss:// speaks TLS only: use redis:// for a plain one';
}

function hidePassword(url: URL): string {
  if (url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.password = '***';
  return copy.href;
}

function invalid(source: string, shown: string, why: string): UsageError {
  return new UsageError(
    `${source} ${JSON.stringify(shown)} is not a Redis URL`,
    why,
    'give redis://[USER:PASSWORD@]HOST[:PORT][/DB], or rediss://... for TLS, e.g. redis://127.0.0.1:6379',
  );
}
