// Environment hygiene: the values of secret variables (*_API_KEY, *_TOKEN, ... and --secret-env
// patterns, and a workflow phase's own env) never appear in the manifest, `status` or the report,
// even when a command line spells them out; --unset-env removes a variable from the jobs.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
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

test('stock CI settings (POSTGRES_PASSWORD=postgres, CI_TOKEN=2026) never rewrite names, ids or timestamps', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const env = parexEnv(marker, { POSTGRES_PASSWORD: 'postgres', CI_TOKEN: '2026' });
  const run = await runCli(
    ['exec', '--names', 'postgres_migrate', '--log-dir', 'logs', '--', 'echo "as postgres"'],
    { cwd: dir, env },
  );
  assert.equal(run.code, 0, run.stderr);
  assertNoneMarked(marker);
  const lines = wholeManifest(path.join(dir, 'logs', 'manifest.jsonl'));
  const start = onlyLineOf(startLines(lines), 'postgres_migrate');
  const end = onlyLineOf(endLines(lines), 'postgres_migrate');
  assert.equal(start.command, 'echo "as ***"', 'an 8-character value is a secret in free text');
  assert.match(String(end.started_at), /^2026-|^\d{4}-/);
  assert.ok(!Number.isNaN(Date.parse(String(end.ended_at))), 'timestamps are whole');
  const logs = await runCli(['logs', 'postgres_migrate', 'logs'], { cwd: dir, env });
  assert.equal(logs.code, 0, logs.stderr);
  assert.equal(logs.stdout, 'as postgres\n', 'parex logs finds the job by its real name');
  const speedup = await runCli(['speedup', '--log-dir', 'logs'], { cwd: dir, env });
  assert.equal(speedup.code, 0, speedup.stderr);
  assert.doesNotMatch(speedup.stdout, /NaN/);
});

test('a workflow run: secrets of --var, env:, --secret-env and the environment appear nowhere, even to a clean shell', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const secrets = {
    var: 'var-token-value-1',
    phase: 'phase-password-2',
    pattern: 'stage-key-value-3',
    environment: 'aws-secret-value-4',
  };
  writeWorkflow(dir, [
    'name: flow',
    'defaults: { agent: command, timeout: 30 }',
    'dirs: { logs: logs }',
    'phases:',
    '  - id: deploy',
    `    env: { DB_PASSWORD: ${secrets.phase} }`,
    `    command: 'echo "using $API_TOKEN $DB_PASSWORD $STAGE_KEY $AWS_SECRET_ACCESS_KEY"; exit 3'`,
  ]);
  const withSecrets = parexEnv(marker, {
    STAGE_KEY: secrets.pattern,
    AWS_SECRET_ACCESS_KEY: secrets.environment,
  });
  const args = ['flow.yaml', '--feature', 'feat', '--var', `API_TOKEN=${secrets.var}`];
  const flags = ['--secret-env', 'STAGE_*'];
  const clean = (what: string, label: string) => {
    for (const secret of Object.values(secrets)) {
      assert.ok(!what.includes(secret), `${label} shows ${secret}:\n${what}`);
    }
  };
  const dry = await runCli(['run', ...args, ...flags, '--dry-run'], { cwd: dir, env: withSecrets });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /echo "using \$API_TOKEN/, 'the plan is shown');
  clean(dry.stdout + dry.stderr, '--dry-run');
  const run = await runCli(['run', ...args, ...flags, '--json'], { cwd: dir, env: withSecrets });
  assert.equal(run.code, 1, run.stderr);
  assertNoneMarked(marker);
  clean(run.stdout + run.stderr, 'the --json events');
  const log = path.join(dir, 'logs', 'deploy.log');
  assert.equal(
    readFileSync(log, 'utf8'),
    `using ${secrets.var} ${secrets.phase} ${secrets.pattern} ${secrets.environment}\n`,
    'the job itself saw every value',
  );
  const manifest = readFileSync(path.join(dir, 'logs', 'manifest.jsonl'), 'utf8');
  clean(manifest, 'the manifest');
  const end = onlyLineOf(
    endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl'))),
    'deploy',
  );
  assert.deepEqual(end.log_tail, ['using *** *** *** ***'], 'the tail is stored, redacted');
  clean(readFileSync(path.join(dir, '.parex', 'runs', 'history.jsonl'), 'utf8'), 'history.jsonl');
  // Later, in a shell that knows none of the secrets; the log is changed to prove that what is
  // shown is the tail stored with the run, not the log.
  writeFileSync(log, `raw log text ${secrets.var}\n`);
  const later = parexEnv(marker);
  const outputs = [await shown(dir, 'logs', later)];
  for (const extra of [['runs'], ['runs', '--json']]) {
    const listed = await runCli(extra, { cwd: dir, env: later });
    assert.equal(listed.code, 0, listed.stderr);
    outputs.push(listed.stdout);
  }
  const all = outputs.join('\n');
  clean(all, 'status, report or runs in a clean shell');
  assert.match(
    readFileSync(path.join(dir, 'report.md'), 'utf8'),
    /using \*\*\* \*\*\* \*\*\* \*\*\*/,
  );
  assert.doesNotMatch(all, /raw log text/, 'report and status show the stored tail, not the log');
});

test('an error message names no secret', async (t) => {
  const dir = tempDir(t);
  const secret = 'error-token-value-5';
  const run = await runCli(['exec', '--log-dir', `/proc/${secret}/logs`, '--', 'true'], {
    cwd: dir,
    env: parexEnv(null, { DEPLOY_TOKEN: secret }),
  });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /\/proc\/\*\*\*\/logs/);
});
