// A worker keeps its own copy of a job's log until the coordinator has written it (point 3 of
// the pool's design): the copy is there while the job runs, and gone once the run is over and
// the coordinator has acknowledged it (deleted its stream), within a few of the worker's 2 s
// checks. A log the coordinator could not write (a full disk) is not acknowledged: the worker
// keeps the whole copy, and the job's failure says so.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { endLines, onlyLineOf, parexEnv, runIdOf, startCli } from '../helpers/exec.js';
import { smallDisk } from '../helpers/faults.js';
import { manifestLines } from '../helpers/manifest.js';
import { filePool, poolExec, type TestWorker } from '../helpers/pool.js';
import { tempDir } from '../helpers/tmp.js';

let worker: TestWorker | null = null;
const pool = filePool('parex-pool-copies', { before, after }, {}, async (started) => {
  worker = await started.worker('c1', 4);
});

/** Whether job1's copy among `files` holds its line yet. */
function firstHolds(files: readonly string[]): boolean {
  const first = files.find((file) => file.endsWith('job1.attempt1.log'));
  return first !== undefined && readFileSync(first, 'utf8') === 'first\n';
}

/** The worker's log copies (paths under its runs' directories: this file runs one run). */
function copies(): string[] {
  const root = path.join(worker?.workdir ?? '', '.parex', 'worker-logs');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((run) =>
    readdirSync(path.join(root, run))
      .filter((name) => name.endsWith('.log'))
      .map((name) => path.join(root, run, name)),
  );
}

test('a worker keeps a log copy while its job runs and removes it once acknowledged', async (t) => {
  const dir = tempDir(t);
  // What the worker did not write there is never removed: another run's empty directory, a file.
  const root = path.join(worker?.workdir ?? '', '.parex', 'worker-logs');
  mkdirSync(path.join(root, 'other-run'), { recursive: true });
  mkdirSync(path.join(root, 'notes'), { recursive: true });
  writeFileSync(path.join(root, 'notes', 'keep.txt'), 'mine\n');
  const commands = ['echo first; sleep 2', 'echo second; sleep 2', 'echo third'];
  const cli = startCli(poolExec(pool.redis.url, [], ...commands), {
    cwd: dir,
    env: parexEnv(null),
  });
  // The copies exist on the worker while the sleeping jobs run.
  let seen: string[] = [];
  for (let waited = 0; waited < 20_000 && !(seen.length === 2 && firstHolds(seen)); waited += 100) {
    await sleep(100);
    seen = copies().filter((file) => /job[12]\.attempt1\.log$/.test(file));
  }
  assert.deepEqual(seen.map((file) => path.basename(file)).sort(), [
    'job1.attempt1.log',
    'job2.attempt1.log',
  ]);
  const first = seen.find((file) => file.endsWith('job1.attempt1.log')) ?? '';
  assert.equal(readFileSync(first, 'utf8'), 'first\n');
  const ended = await cli.done;
  assert.equal(ended.code, 0, ended.stderr);
  assert.equal(readFileSync(path.join(dir, 'logs', 'job1.log'), 'utf8'), 'first\n');
  // Acknowledged: each copy is removed by the worker's next checks.
  let left = copies();
  for (let waited = 0; waited < 15_000 && left.length > 0; waited += 200) {
    await sleep(200);
    left = copies();
  }
  assert.deepEqual(left, [], 'the worker kept copies of acknowledged logs');
  // The run's directory, emptied by the last removal, goes with it (within the same check).
  const runDir = path.join(root, runIdOf(ended.stderr));
  for (let waited = 0; waited < 5000 && existsSync(runDir); waited += 200) await sleep(200);
  assert.equal(existsSync(runDir), false, `${runDir} was left behind`);
  assert.deepEqual(readdirSync(root).sort(), ['notes', 'other-run']);
  assert.equal(readFileSync(path.join(root, 'notes', 'keep.txt'), 'utf8'), 'mine\n');
});

test('a log the coordinator cannot write (a full disk): the job fails saying so, the worker keeps its whole copy', async (t) => {
  const disk = smallDisk(t, '4m');
  if (disk === null) {
    t.skip('cannot mount a tmpfs here (needs root)');
    return;
  }
  const dir = tempDir(t);
  // The log directory is a link to the small disk (the directory the user names may be one).
  symlinkSync(disk, path.join(dir, 'logs'));
  const bytes = 8 * 1024 * 1024;
  const cli = startCli(poolExec(pool.redis.url, [], `head -c ${bytes} /dev/zero`), {
    cwd: dir,
    env: parexEnv(null),
  });
  const ended = await cli.done;
  assert.equal(ended.code, 1, ended.stderr);
  const line = onlyLineOf(endLines(manifestLines(path.join(disk, 'manifest.jsonl'))), 'job1');
  assert.equal(line.status, 'failed');
  assert.match(
    String(line.reason),
    /^the log arrived incomplete: \d+ of 8388608 bytes \(ENOSPC: no space left on device, write; its worker keeps its copy of the whole log, in its workdir's \.parex\/worker-logs\/, for an hour\)$/,
  );
  // Not acknowledged: after three of the worker's 2 s checks its copy is still there, whole.
  const copy = path.join(
    worker?.workdir ?? '',
    '.parex',
    'worker-logs',
    runIdOf(ended.stderr),
    'job1.attempt1.log',
  );
  await sleep(6500);
  assert.equal(existsSync(copy) ? statSync(copy).size : -1, bytes, `${copy} is not whole`);
});
