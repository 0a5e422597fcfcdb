// Environment hygiene: the values of secret variables (*_API_KEY, *_TOKEN, ... and --secret-env
// patterns, and a workflow phase's own env) never appear in the manifest, `status` or the report,
// even when a command line spells them out; --unset-env removes a variable from the jobs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import { endLines, onlyLineOf, parexEnv, startLines } from '../helpers/exec.js';
import { assertNoneMarked, wholeManifest, writeWorkflow } from '../helpers/faults.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

const SECRETS = {
  MY_API_KEY: 'sk-test-123456789',
  OTHER_TOKEN: 'tok-abcdefgh',
  CUSTOM_X: 'custom-value-42',
};
const PHASE_SECRET = 'phase-secret-xyz';
const ALL = [...Object.values(SECRETS), PHASE_SECRET];

/** Fails if any secret value appears in `what`. */
function assertClean(what: string, label: string): void {
  for (const secret of ALL) assert.ok(!what.includes(secret), `${label} shows ${secret}:\n${what}`);
}

/** Everything `status`, `status --json` and `report` print about the run in `logDir`. */
async function shown(dir: string, logDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const outputs: string[] = [];
  for (const args of [
    ['status', '--log-dir', logDir, '--json'],
    ['status', '--log-dir', logDir],
    ['report', '--log-dir', logDir, '--html', 'report.html', '--md', 'report.md'],
  ]) {
    const run = await runCli(args, { cwd: dir, env });
    assert.equal(run.code, 0, run.stderr);
    outputs.push(run.stdout, run.stderr);
  }
  outputs.push(readFileSync(path.join(dir, 'report.html'), 'utf8'));
  outputs.push(readFileSync(path.join(dir, 'report.md'), 'utf8'));
  return outputs.join('\n');
}

test('secret values in command lines never reach the manifest, status or report; --unset-env works', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const env = parexEnv(marker, { ...SECRETS, PLAIN_VAR: 'visible-value' });
  const run = await runCli(
    [
      'exec',
      '--names',
      'literal,expanded,environment',
      '--unset-env',
      'MY_API_KEY',
      '--secret-env',
      'CUSTOM_*',
      '--log-dir',
      'logs',
      '--',
      `echo "calling with ${SECRETS.MY_API_KEY} and ${SECRETS.CUSTOM_X}"`,
      'echo "token=$OTHER_TOKEN"',
      'env',
    ],
    { cwd: dir, env },
  );

  assert.equal(run.code, 0, run.stderr);
  assertNoneMarked(marker);
  assertClean(run.stderr, 'the progress lines');
  const manifest = path.join(dir, 'logs', 'manifest.jsonl');
  assertClean(readFileSync(manifest, 'utf8'), 'the manifest');
  const lines = wholeManifest(manifest);
  assert.equal(onlyLineOf(startLines(lines), 'literal').command, 'echo "calling with *** and ***"');
  assert.equal(endLines(lines).length, 3);
  // The jobs themselves see their environment, less what --unset-env removed.
  const environment = readFileSync(path.join(dir, 'logs', 'environment.log'), 'utf8');
  assert.doesNotMatch(environment, /^MY_API_KEY=/m);
  assert.match(environment, new RegExp(`^OTHER_TOKEN=${SECRETS.OTHER_TOKEN}$`, 'm'));
  assert.match(environment, /^PLAIN_VAR=visible-value$/m);
  assert.equal(
    readFileSync(path.join(dir, 'logs', 'expanded.log'), 'utf8'),
    `token=${SECRETS.OTHER_TOKEN}\n`,
  );
  assertClean(await shown(dir, 'logs', env), 'status or report');
});

test('a workflow phase whose env holds a secret: its value is hidden too', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  writeWorkflow(dir, [
    'name: flow',
    'defaults: { agent: command, timeout: 30 }',
    'dirs: { logs: logs }',
    'phases:',
    `  - id: deploy`,
    `    env: { DEPLOY_TOKEN: ${PHASE_SECRET} }`,
    `    command: 'echo "deploying with ${PHASE_SECRET}"; test "$DEPLOY_TOKEN" = ${PHASE_SECRET}'`,
  ]);
  const env = parexEnv(marker);
  const run = await runCli(['run', 'flow.yaml', '--feature', 'feat'], { cwd: dir, env });
  assert.equal(run.code, 0, run.stderr);
  assertNoneMarked(marker);
  assertClean(run.stderr, 'the progress lines');
  const manifest = path.join(dir, 'logs', 'manifest.jsonl');
  assertClean(readFileSync(manifest, 'utf8'), 'the manifest');
  const start = onlyLineOf(startLines(wholeManifest(manifest)), 'deploy');
  assert.match(String(start.command), /deploying with \*\*\*/);
  assertClean(await shown(dir, 'logs', env), 'status or report');
});

test('a failing job that prints a secret: the report does not show it in the log tail', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const env = parexEnv(marker, SECRETS);
  const run = await runCli(
    [
      'exec',
      '--names',
      'leaky',
      '--log-dir',
      'logs',
      '--',
      'echo "auth $MY_API_KEY refused"; exit 1',
    ],
    { cwd: dir, env },
  );
  assert.equal(run.code, 1, run.stderr);
  assertNoneMarked(marker);
  assertClean(readFileSync(path.join(dir, 'logs', 'manifest.jsonl'), 'utf8'), 'the manifest');
  assertClean(await shown(dir, 'logs', env), 'status or report');
});

test('secret values in command lines stay out of the run history, `parex runs` and --json events', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const env = parexEnv(marker, SECRETS);
  const run = await runCli(['exec', '--json', '--', `echo ${SECRETS.MY_API_KEY}`], {
    cwd: dir,
    env,
  });
  assert.equal(run.code, 0, run.stderr);
  assertNoneMarked(marker);
  const runs = await runCli(['runs'], { cwd: dir, env });
  assertClean(runs.stdout, '`parex runs`');
  assertClean(
    readFileSync(path.join(dir, '.parex', 'runs', 'history.jsonl'), 'utf8'),
    'history.jsonl',
  );
  assertClean(run.stdout, 'the --json events');
});
