// Connections to the pool's Redis: a probe that fails fast (what, why, fix) before a run
// writes anything, and long-lived clients that reconnect with a growing backoff.
import { UsageError } from '../errors.js';
import { loadIoredis, type RedisClient } from './modules.js';
import { type RedisAddress, tlsHint } from './redis-url.js';

/** How long the probe waits for Redis to answer. */
const PROBE_TIMEOUT_MS = 3000;
/** The longest wait between two reconnection attempts. */
const MAX_BACKOFF_MS = 5000;

/** ioredis options for an address; `blocking` clients (BullMQ workers, readers) never give up a command. */
export function redisOptions(address: RedisAddress, name: string) {
  const { shown: _shown, ...connection } = address;
  return {
    ...connection,
    connectionName: name,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 6), MAX_BACKOFF_MS),
  };
}

/** The address each client of openClient was opened on, for connections below ioredis. */
const addresses = new WeakMap<RedisClient, RedisAddress>();

/** The address `client` was opened on (by openClient), or undefined. */
export function addressOf(client: RedisClient): RedisAddress | undefined {
  return addresses.get(client);
}

/** A client that reconnects by itself; errors are handed to `onError` instead of thrown;
 * `pipelined`: the commands of one turn of the event loop go out in one write. */
export function openClient(
  address: RedisAddress,
  name: string,
  onError: (error: Error) => void,
  pipelined = false,
): RedisClient {
  const Redis = loadIoredis();
  // XADDs of log chunks stay single commands: a pipeline would copy their data once more.
  const client = new Redis({
    ...redisOptions(address, name),
    enableAutoPipelining: pipelined,
    autoPipeliningIgnoredCommands: ['xadd'],
  });
  client.on('error', onError);
  addresses.set(client, address);
  return client;
}

/** Checks that Redis answers, with a UsageError when it does not (nothing has run yet). */
export async function probeRedis(address: RedisAddress, who: string): Promise<void> {
  const Redis = loadIoredis();
  const { shown: _shown, ...connection } = address;
  const client = new Redis({
    ...connection,
    lazyConnect: true,
    connectTimeout: PROBE_TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // The cause (WRONGPASS, ECONNREFUSED) comes as an event; the rejection says only "closed".
  let cause: Error | null = null;
  client.on('error', (error: Error) => {
    cause ??= error;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw unreachable(address, who, cause ?? (error as Error));
  } finally {
    client.disconnect();
  }
}

function unreachable(address: RedisAddress, who: string, error: Error): UsageError {
  const auth = /NOAUTH|WRONGPASS|NOPERM/.test(error.message);
  return new UsageError(
    `cannot reach Redis at ${address.shown} (${error.message})`,
    `${who} needs Redis: the pool's queues, logs and heartbeats live there`,
    auth
      ? 'check the user and password in the URL (redis://USER:PASSWORD@HOST:PORT) and the ACL of that user'
      : `start it (e.g. sudo apt-get install redis-server; sudo systemctl start redis-server), or fix the host and port${tlsHint(address)}; without --redis (and PAREX_REDIS) jobs run on this machine`,
  );
}
