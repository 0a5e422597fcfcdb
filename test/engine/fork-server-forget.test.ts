// The fork server's forget requests wait (up to 50 ms) to share a write with the next request,
// and still arrive: a parex that dies after forgetting a group it had the server watch leaves
// that group alone, while a group still watched is stopped by the watchdog. Both ways: a forget
// followed by a launch (sent with it), and a forget alone (sent when its wait is over).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

const SERVER_URL = new URL('../../src/process/fork-server/server.js', import.meta.url).href;

/** A parex stand-in: has the server watch two groups of its own, forgets one, maybe launches a
 * job, waits, then dies without telling the server the run is over. Prints the two pgids. */
const PROGRAM = `
const { spawn } = await import('node:child_process');
const { ForkServer } = await import(${JSON.stringify(SERVER_URL)});
const [runId, dir, launchAfter] = process.argv.slice(1);
const server = ForkServer.start(runId);
await server.started;
const group = () => spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
const [kept, stopped] = [group(), group()];
server.watch(kept.pid);
server.watch(stopped.pid);
server.forget(kept.pid);
if (launchAfter === 'yes') {
  const job = server.launch({ argv: ['/bin/sh', '-c', 'exit 0'], cwd: dir, env: {}, logPath: dir + '/job.log' });
  await new Promise((resolve) => job.once('exit', resolve));
} else {
  await new Promise((resolve) => setTimeout(resolve, 200));
}
process.stdout.write(kept.pid + ' ' + stopped.pid + '\\n');
process.exit(0);
`;

/** Whether `pid` is alive and not a zombie. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return true;
}

for (const launchAfter of ['yes', 'no']) {
  test(`a forgotten group outlives a parex that died (${launchAfter === 'yes' ? 'sent with the next launch' : 'sent alone after its wait'})`, async (t) => {
    const dir = tempDir(t);
    const marker = killedAfter(t);
    const runId = `20261202-000000-${process.pid.toString(16).slice(-4)}${launchAfter}`;
    const parex = spawn(
      process.execPath,
      ['--input-type=module', '-e', PROGRAM, runId, dir, launchAfter],
      { env: { ...process.env, PAREX_TEST_MARKER: marker }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    parex.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const [code] = await once(parex, 'exit');
    assert.equal(code, 0);
    const [kept, stopped] = out.trim().split(' ').map(Number) as [number, number];
    t.after(() => {
      for (const pid of [kept, stopped]) if (alive(pid)) process.kill(-pid, 'SIGKILL');
    });
    // The watchdog sends SIGTERM at once (and SIGKILL a second later) to the watched groups.
    const deadline = Date.now() + 10_000;
    while (alive(stopped) && Date.now() < deadline) await sleep(50);
    assert.ok(!alive(stopped), 'the group still watched was not stopped');
    assert.ok(alive(kept), 'the forgotten group was stopped: its forget never reached the server');
  });
}
