// One plain connection to Redis for the pool's log streams, below ioredis: commands are written
// as header + data (no copy of a log chunk), pipelined, and replies read as views of the socket's
// reads. It honours the pool's URL as every other connection does (TLS for rediss://, AUTH with
// user and password, the database), and does not reconnect: its user opens another.
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

import type { RedisAddress } from '../redis-url.js';
import { type Arg, encodeCommand } from './command.js';
import { SlabReads } from './read-slabs.js';
import { ReplyParser, RespError, type RespValue } from './reply-parser.js';

/** How long connecting (and the AUTH/SELECT that follow) may take. */
const CONNECT_TIMEOUT_MS = 5000;

type Waiter = { resolve: (reply: RespValue) => void; reject: (error: Error) => void };

/** A pipelined RESP2 connection; a lost connection fails every command waiting on it. */
export class RespConnection {
  private readonly waiting: Waiter[] = [];
  private failure: Error | null = null;

  private constructor(
    private readonly socket: import('node:net').Socket,
    /** Where replies are read into; a user that keeps reply buffers recycles them here. */
    readonly slabs: SlabReads,
  ) {
    const parser = new ReplyParser((reply) => this.settle(reply));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('the connection was closed')));
    socket.on('data', () => {}); // Reads arrive through `onread`.
    this.feed = (chunk) => {
      try {
        parser.feed(chunk);
      } catch (error) {
        this.fail(error as Error);
        socket.destroy();
      }
    };
  }

  private feed: (chunk: Buffer) => void = () => {};

  /** Connects to `address`, authenticates and selects its database; `name` is CLIENT SETNAME's. */
  static async open(address: RedisAddress, name: string): Promise<RespConnection> {
    let connection: RespConnection | null = null;
    const slabs = new SlabReads((chunk) => connection?.feed(chunk));
    const options = { host: address.host, port: address.port, onread: slabs.onread, noDelay: true };
    const socket =
      address.tls === undefined ? tcpConnect(options) : tlsConnect({ ...options, ...address.tls });
    connection = new RespConnection(socket, slabs);
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => socket.destroy(new Error('connecting timed out')));
    const ready: Promise<RespValue>[] = [];
    if (address.password !== undefined) {
      const who = address.username === undefined ? [] : [address.username];
      ready.push(connection.send(['AUTH', ...who, address.password]));
    }
    if (address.db !== 0) ready.push(connection.send(['SELECT', String(address.db)]));
    ready.push(connection.send(['CLIENT', 'SETNAME', name.replace(/\s/g, '_')]));
    try {
      await Promise.all(ready);
    } catch (error) {
      connection.close();
      throw error;
    }
    socket.setTimeout(0);
    return connection;
  }

  /** Sends one command; resolves with its reply, rejects with an error reply or a lost link. */
  send(args: readonly Arg[]): Promise<RespValue> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const { promise, waiter } = waiting();
    this.waiting.push(waiter);
    this.socket.cork();
    for (const piece of encodeCommand(args)) this.socket.write(piece);
    this.socket.uncork();
    return promise;
  }

  /** Runs `write` with the socket corked: the commands it sends leave in one write. */
  corked<T>(write: () => T): T {
    this.socket.cork();
    try {
      return write();
    } finally {
      this.socket.uncork();
    }
  }

  /** Closes the connection; commands still waiting fail. */
  close(): void {
    this.fail(new Error('the connection was closed'));
    this.socket.destroy();
  }

  private settle(reply: RespValue): void {
    const waiter = this.waiting.shift();
    if (reply instanceof RespError) waiter?.reject(reply);
    else waiter?.resolve(reply);
  }

  private fail(error: Error): void {
    this.failure ??= new Error(`lost the connection to Redis: ${error.message}`);
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
  }
}

function waiting(): { promise: Promise<RespValue>; waiter: Waiter } {
  let waiter: Waiter = { resolve: () => {}, reject: () => {} };
  const promise = new Promise<RespValue>((resolve, reject) => {
    waiter = { resolve, reject };
  });
  return { promise, waiter };
}
