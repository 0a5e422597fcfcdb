// A job writing 200 MB: every byte lands in its log, and parex's own memory stays flat because
// the job writes straight into the file instead of through parex.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import {
  assertNothingAlive,
  endLines,
  onlyLineOf,
  parexEnv,
  startCli,
  withPeakRss,
} from '../helpers/exec.js';
import { manifestLines } from '../helpers/manifest.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

const BYTES = 200_000_000;
const RSS_LIMIT = 150 * 1024 * 1024;

test('200 MB of output: log is exact and parex peak RSS stays under 150 MB', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const { child, done } = startCli(
    ['exec', '--names', 'big', '--log-dir', 'logs', '--', `head -c ${BYTES} /dev/zero`],
    { cwd: dir, env: parexEnv(marker) },
  );
  const pid = child.pid;
  assert.ok(pid !== undefined);
  const { run, peak } = await withPeakRss(pid, done);

  assert.equal(run.code, 0, run.stderr);
  assertNothingAlive(marker);
  assert.ok(peak !== null, 'no VmHWM reading of the parex process');
  const last = peak;
  assert.ok(last < RSS_LIMIT, `parex peak RSS ${(last / 1024 / 1024).toFixed(1)} MB`);
  assert.equal(statSync(path.join(dir, 'logs', 'big.log')).size, BYTES);
  const end = onlyLineOf(endLines(manifestLines(path.join(dir, 'logs', 'manifest.jsonl'))), 'big');
  assert.equal(end.outcome, 'success');
  assert.equal(end.exit_code, 0);
});
