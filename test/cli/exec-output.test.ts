// Where exec writes: one log per job with its stdout and stderr, the default run directory,
// --log-dir, PAREX_LOG_DIR and the flag beating the environment.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import { endLines, onlyLineOf, parexEnv, runIdOf, startLines } from '../helpers/exec.js';
import { manifestLines } from '../helpers/manifest.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

const JOBS = [
  '--names',
  'out,err',
  '--',
  'echo to-stdout; echo to-stderr >&2; echo again',
  'printf partial; echo oops >&2; exit 4',
];

/** Checks the two logs of JOBS and the manifest's log paths inside `logDir`. */
function assertLogs(logDir: string): void {
  assert.deepEqual(readdirSync(logDir).sort(), ['err.log', 'manifest.jsonl', 'out.log']);
  assert.equal(readFileSync(path.join(logDir, 'out.log'), 'utf8'), 'to-stdout\nto-stderr\nagain\n');
  assert.equal(readFileSync(path.join(logDir, 'err.log'), 'utf8'), 'partialoops\n');
  const lines = manifestLines(path.join(logDir, 'manifest.jsonl'));
  assert.equal(startLines(lines).length, 2);
  for (const name of ['out', 'err']) {
    assert.equal(onlyLineOf(endLines(lines), name).log, path.join(logDir, `${name}.log`));
  }
  assert.equal(onlyLineOf(endLines(lines), 'err').exit_code, 4);
}

test('default log directory is .parex/runs/RUN_ID under the cwd, one log per job', async (t) => {
  const dir = realpathSync(tempDir(t));
  const marker = killedAfter(t);
  const run = await runCli(['exec', ...JOBS], { cwd: dir, env: parexEnv(marker) });
  assert.equal(run.code, 1, run.stderr);
  const runId = runIdOf(run.stderr);
  assert.match(runId, /^\d{8}-\d{6}-[0-9a-f]{4}$/);
  assert.deepEqual(readdirSync(dir), ['.parex']);
  assert.deepEqual(readdirSync(path.join(dir, '.parex', 'runs')).sort(), [runId, 'history.jsonl']);
  assertLogs(path.join(dir, '.parex', 'runs', runId));
  for (const line of manifestLines(path.join(dir, '.parex', 'runs', runId, 'manifest.jsonl'))) {
    assert.equal(line.run_id, runId);
  }
});

test('--log-dir (relative to the cwd) holds the logs and the manifest', async (t) => {
  const dir = realpathSync(tempDir(t));
  const marker = killedAfter(t);
  const run = await runCli(['exec', '--log-dir', 'nested/logs', ...JOBS], {
    cwd: dir,
    env: parexEnv(marker),
  });
  assert.equal(run.code, 1, run.stderr);
  assert.deepEqual(readdirSync(dir).sort(), ['.parex', 'nested'], 'the logs, and the run history');
  assertLogs(path.join(dir, 'nested', 'logs'));
});

test('PAREX_LOG_DIR sets the log directory', async (t) => {
  const dir = realpathSync(tempDir(t));
  const marker = killedAfter(t);
  const run = await runCli(['exec', ...JOBS], {
    cwd: dir,
    env: parexEnv(marker, { PAREX_LOG_DIR: 'from-env' }),
  });
  assert.equal(run.code, 1, run.stderr);
  assert.deepEqual(readdirSync(dir).sort(), ['.parex', 'from-env']);
  assertLogs(path.join(dir, 'from-env'));
});

test('--log-dir beats PAREX_LOG_DIR', async (t) => {
  const dir = realpathSync(tempDir(t));
  const absolute = path.join(realpathSync(tempDir(t)), 'flag-logs');
  const marker = killedAfter(t);
  const run = await runCli(['exec', '--log-dir', absolute, ...JOBS], {
    cwd: dir,
    env: parexEnv(marker, { PAREX_LOG_DIR: 'from-env' }),
  });
  assert.equal(run.code, 1, run.stderr);
  assert.equal(existsSync(path.join(dir, 'from-env')), false);
  assert.deepEqual(readdirSync(dir), ['.parex'], 'only the run history');
  assertLogs(absolute);
});
