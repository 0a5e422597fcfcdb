#!/usr/bin/env node
// The log directory lock under a race: ROUNDS rounds in which TAKERS processes take the lock of
// one fresh directory at the same instant (every other round over a stale lock, left by a
// process that is gone). Exactly one must win each round. Prints one JSON object of counts.
// Usage: node bench/lock-race.mjs [--rounds 1000] [--takers 8]   (after npm run build)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '1000' },
    takers: { type: 'string', default: '8' },
  },
});
const rounds = Number(values.rounds);
const takers = Number(values.takers);
const lockModule = pathToFileURL(
  path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'src', 'engine', 'lock.js'),
).href;

// A taker: for each line "DIR AT", spins until the wall clock reaches AT, takes the lock of DIR
// and answers "won" or "lost"; it keeps every lock it won (it stays alive, so they stay live).
const TAKER = `
const { lockLogDir } = await import(${JSON.stringify(lockModule)});
const { createInterface } = await import('node:readline');
for await (const line of createInterface({ input: process.stdin })) {
  const [dir, at] = line.split(' ');
  while (Date.now() < Number(at)) {}
  try {
    lockLogDir(dir, 'race-' + process.pid, false, () => {});
    process.stdout.write('won\\n');
  } catch (error) {
    process.stdout.write(error.name === 'UsageError' ? 'lost\\n' : 'error ' + String(error).split('\\n')[0] + '\\n');
  }
}
`;

const parent = mkdtempSync(path.join(os.tmpdir(), 'parex-lock-race-'));
const workers = Array.from({ length: takers }, () => {
  const child = spawn(process.execPath, ['--input-type=module', '-e', TAKER], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return { child, next: async () => (await answers.next()).value };
});
const deadPid = spawnSync('/bin/true').pid;
const counts = {
  rounds,
  takers,
  stale_rounds: 0,
  one_winner: 0,
  two_or_more: 0,
  none: 0,
  errors: [],
};
const started = performance.now();
for (let round = 0; round < rounds; round += 1) {
  const dir = path.join(parent, `r${round}`);
  mkdirSync(dir);
  if (round % 2 === 1) {
    counts.stale_rounds += 1;
    const stale = {
      pid: deadPid,
      start: null,
      run_id: 'gone',
      started_at: new Date().toISOString(),
    };
    writeFileSync(path.join(dir, '.parex.lock'), `${JSON.stringify(stale)}\n`);
  }
  const at = Date.now() + 20;
  for (const worker of workers) worker.child.stdin.write(`${dir} ${at}\n`);
  const answers = await Promise.all(workers.map((worker) => worker.next()));
  const won = answers.filter((answer) => answer === 'won').length;
  for (const answer of answers) if (answer.startsWith('error')) counts.errors.push(answer);
  if (won === 1) counts.one_winner += 1;
  else if (won === 0) counts.none += 1;
  else counts.two_or_more += 1;
}
counts.seconds = Number(((performance.now() - started) / 1000).toFixed(1));
for (const worker of workers) worker.child.stdin.end();
rmSync(parent, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(counts)}\n`);
process.exitCode = counts.one_winner === rounds ? 0 : 1;
