#!/usr/bin/env node
// node bench/log-floor.mjs [--jobs 8] [--mib 64] [--rounds 3]: the least CPU any log streaming
// through a store in the middle (Redis) can cost on this machine, and so the best share of a
// local run's speed it can reach (the pool's target: at least 50%). It measures the work that
// no implementation can skip, each part by itself, with nothing of parex in it:
// - the jobs writing their logs (K x `head -c N /dev/zero > FILE`) on the worker, where the
//   output is written and kept;
// - the coordinator writing its copy of each log, 1 MiB a write (as it writes what it reads);
// - reading the logs back on the worker, as they grow;
// - moving the bytes over loopback TCP to another process (a receiver that only counts them):
//   twice, worker to Redis and Redis to the coordinator.
// The floor is the sum of those CPU seconds; spread over every core with no idle moment and no
// other work (no parsing, no Redis commands, no JavaScript), it takes floor / cores seconds.
// `parex exec` of the same jobs here (dist/bin/parex.cjs, built) is the local run it is set
// against. The files go where bench/pool.mjs puts its runs: /dev/shm when it has room, else the
// temp dir (--dir PARENT to choose).
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { makeWorkDir } from './lib/setup.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist/bin/parex.cjs');
const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '8' },
    mib: { type: 'string', default: '64' },
    rounds: { type: 'string', default: '3' },
    receive: { type: 'boolean', default: false },
    dir: { type: 'string' },
  },
});
const jobs = Number(values.jobs);
const bytes = Number(values.mib) * 1024 * 1024;
const BLOCK = 1024 * 1024;
const cores = os.availableParallelism();

/** CPU seconds of this process (`self`) and of its waited-for children so far. */
function cpu() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const ticks = (index) => (fields[index] ?? 0) / 100;
  return { self: ticks(11) + ticks(12), children: ticks(13) + ticks(14) };
}

/** The receiver: counts what each connection sends, then answers with its CPU seconds. */
function receive() {
  const server = net.createServer((socket) => {
    socket.on('data', () => {});
    socket.on('end', () => socket.end(`${cpu().self}\n`));
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
}

/** K jobs writing N bytes each at once: wall seconds and their CPU seconds. */
async function writeLogs(dir) {
  const before = cpu().children;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: jobs }, (_, index) => {
      const log = path.join(dir, `log${index}`);
      const child = spawn('sh', ['-c', `head -c ${bytes} /dev/zero > ${log}`], { stdio: 'ignore' });
      return once(child, 'exit');
    }),
  );
  return { wall: (performance.now() - started) / 1000, cpu: cpu().children - before };
}

/** The coordinator's copies of the K logs, written 1 MiB at a time into new files: CPU seconds. */
function copyLogs(dir) {
  const before = cpu().self;
  const block = Buffer.alloc(BLOCK);
  for (let index = 0; index < jobs; index += 1) {
    const fd = openSync(path.join(dir, `copy${index}`), 'wx');
    for (let written = 0; written < bytes; written += BLOCK) writeSync(fd, block);
    closeSync(fd);
  }
  return cpu().self - before;
}

/** Reading the K logs back: CPU seconds. */
function readLogs(dir) {
  const before = cpu().self;
  const buffer = Buffer.allocUnsafe(BLOCK);
  for (let index = 0; index < jobs; index += 1) {
    const fd = openSync(path.join(dir, `log${index}`), 'r');
    while (readSync(fd, buffer, 0, BLOCK, null) > 0);
    closeSync(fd);
  }
  return cpu().self - before;
}

/** K x N bytes over loopback TCP to the receiver: CPU seconds of both ends. */
async function hop(port) {
  const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
  await once(socket, 'connect');
  let answer = '';
  socket.on('data', (chunk) => {
    answer += chunk;
  });
  const before = cpu().self;
  const block = Buffer.alloc(BLOCK);
  for (let sent = 0; sent < jobs * bytes; sent += BLOCK) {
    if (!socket.write(block)) await once(socket, 'drain');
  }
  socket.end();
  await once(socket, 'close');
  return { sender: cpu().self - before, receiverTotal: Number(answer) };
}

if (values.receive) receive();
else {
  const receiver = spawn(process.execPath, [process.argv[1], '--receive'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = await once(receiver.stdout, 'data');
  const port = Number(String(line).trim());
  const commands = Array.from({ length: jobs }, () => `head -c ${bytes} /dev/zero`);
  console.log(`${jobs} x ${values.mib} MiB, ${cores} cores`);
  const parent = makeWorkDir(values.dir);
  console.log(`in ${parent}`);
  console.log(
    "| round | jobs' writes | copies | read back | one TCP hop | floor | floor / cores | parex exec here | best share |",
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  let receiverBefore = 0;
  for (let round = 1; round <= Number(values.rounds); round += 1) {
    const dir = mkdtempSync(path.join(parent, 'floor-'));
    const writes = await writeLogs(dir);
    const copies = copyLogs(dir);
    const read = readLogs(dir);
    const moved = await hop(port);
    const tcp = moved.sender + moved.receiverTotal - receiverBefore;
    receiverBefore = moved.receiverTotal;
    const floor = writes.cpu + copies + read + 2 * tcp;
    const local = mkdtempSync(path.join(parent, 'local-'));
    const started = performance.now();
    execFileSync(process.execPath, [CLI, 'exec', '-q', '--', ...commands], { cwd: local });
    const parex = (performance.now() - started) / 1000;
    for (const made of [dir, local]) rmSync(made, { recursive: true, force: true });
    const cells = [
      `${writes.cpu.toFixed(2)} s CPU (${writes.wall.toFixed(2)} s wall)`,
      `${copies.toFixed(2)} s CPU`,
      `${read.toFixed(2)} s CPU`,
      `${tcp.toFixed(2)} s CPU`,
      `${floor.toFixed(2)} s CPU`,
      `${(floor / cores).toFixed(2)} s`,
      `${parex.toFixed(2)} s`,
      `${((parex / (floor / cores)) * 100).toFixed(0)}%`,
    ];
    console.log(`| ${round} | ${cells.join(' | ')} |`);
  }
  receiver.kill();
  rmSync(parent, { recursive: true, force: true });
}
