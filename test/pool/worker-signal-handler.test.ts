// The worker's stop signals are caught by one handler for its whole life: a third or fourth
// SIGTERM/SIGINT while it shuts down is told as "again" and never meets the default action,
// which would kill the worker before it hands its jobs back.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

const MODULE_URL = new URL('../../src/pool/worker-signals.js', import.meta.url).href;

/** A process that catches the worker's signals, says each one, and ends when its stdin does. */
const PROGRAM = `
const { catchWorkerSignals } = await import(${JSON.stringify(MODULE_URL)});
const signals = catchWorkerSignals();
let again = 0;
signals.onAgain(() => { again += 1; process.stdout.write('again ' + again + '\\n'); });
process.stdout.write('ready\\n');
signals.first.then((signal) => process.stdout.write('first ' + signal + '\\n'));
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

test('every stop signal after the first reaches the handler; none kills the process', async () => {
  const child = spawn(process.execPath, ['--input-type=module', '-e', PROGRAM], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let seen = '';
  child.stdout.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
  });
  const exited = once(child, 'exit');
  const waitFor = async (needle: string) => {
    const deadline = Date.now() + 15_000;
    while (!seen.includes(needle)) {
      assert.ok(child.exitCode === null && child.signalCode === null, `it died:\n${seen}`);
      assert.ok(Date.now() < deadline, `no "${needle}" within 15 s:\n${seen}`);
      await sleep(10);
    }
  };
  await waitFor('ready\n');
  child.kill('SIGTERM');
  await waitFor('first SIGTERM\n');
  child.kill('SIGINT');
  await waitFor('again 1\n');
  child.kill('SIGTERM');
  await waitFor('again 2\n');
  child.kill('SIGTERM');
  await waitFor('again 3\n');
  child.stdin.end();
  const [code, signal] = await exited;
  assert.deepEqual([code, signal], [0, null], seen);
  assert.equal(seen, 'ready\nfirst SIGTERM\nagain 1\nagain 2\nagain 3\n');
});
