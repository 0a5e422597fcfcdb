// The behaviours seen with the real CLIs (agent-clis §6) that parex depends on: gemini's folder
// trust, auth failure and setsid'd shell tool; claude's permission modes, denials and cache
// tokens; codex's locked database; and the non-atomic state files every one of them rewrites.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { tempDir } from '../helpers/tmp.js';
import { waitForText } from '../helpers/wait.js';
import { CLAUDE_STREAM, CODEX, jsonLines, killGroup, obj, run, start } from './helpers.js';

const GEMINI = ['-o', 'stream-json', '--approval-mode', 'auto_edit'];
const UNTRUSTED = { GEMINI_CLI_TRUST_WORKSPACE: undefined };

test('gemini: an untrusted folder is fatal (exit 55) unless --skip-trust, the variable or trustedFolders.json', async (t) => {
  const cwd = tempDir(t);
  const home = tempDir(t);
  const env = { ...UNTRUSTED, HOME: home };
  const refused = await run('gemini', [...GEMINI, '-p', 'hi'], { cwd, env });
  assert.equal(refused.code, 55);
  assert.equal(refused.stdout, '', 'nothing on stdout, not even init');
  assert.match(
    refused.stderr,
    /Approval mode overridden to "default" because the current folder is not trusted/,
  );
  assert.match(
    refused.stderr,
    /not running in a trusted directory.*--skip-trust.*GEMINI_CLI_TRUST_WORKSPACE=true/,
  );
  const flagged = await run('gemini', [...GEMINI, '--skip-trust', '-p', 'hi'], { cwd, env });
  assert.equal(flagged.code, 0, flagged.stderr);
  const variable = await run('gemini', [...GEMINI, '-p', 'hi'], {
    cwd,
    env: { HOME: home, GEMINI_CLI_TRUST_WORKSPACE: 'true' },
  });
  assert.equal(variable.code, 0, variable.stderr);
  mkdirSync(path.join(home, '.gemini'), { recursive: true });
  writeFileSync(
    path.join(home, '.gemini/trustedFolders.json'),
    JSON.stringify({ [cwd]: 'TRUST_FOLDER' }),
  );
  const listed = await run('gemini', [...GEMINI, '-p', 'hi'], { cwd, env });
  assert.equal(listed.code, 0, listed.stderr);
});

test('gemini: a version without --skip-trust rejects it and hides it from --help', async (t) => {
  const cwd = tempDir(t);
  const env = { FAKE_GEMINI_NO_SKIP_TRUST: '1' };
  const help = await run('gemini', ['--help'], { cwd, env });
  assert.doesNotMatch(help.stdout, /--skip-trust/);
  const version = await run('gemini', ['--version'], { cwd, env });
  assert.equal(version.stdout.trim(), '0.50.0');
  const rejected = await run('gemini', [...GEMINI, '--skip-trust', '-p', 'hi'], { cwd, env });
  assert.equal(rejected.code, 1);
  assert.match(rejected.stderr, /Unknown argument/i);
  assert.match((await run('gemini', ['--help'], { cwd })).stdout, /--skip-trust/);
});

test('gemini: an auth type headless mode rejects exits 41 with nothing on stdout', async (t) => {
  const cwd = tempDir(t);
  const home = tempDir(t);
  mkdirSync(path.join(home, '.gemini'));
  writeFileSync(
    path.join(home, '.gemini/settings.json'),
    JSON.stringify({ security: { auth: { selectedType: 'cloud-shell' } } }),
  );
  const result = await run('gemini', [...GEMINI, '--skip-trust', '-p', 'hi'], {
    cwd,
    env: { HOME: home },
  });
  assert.equal(result.code, 41);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /Invalid auth method selected/);
});

test("gemini's shell tool (yolo only) runs in a session of its own that outlives gemini's SIGTERM exit", async (t) => {
  const cwd = tempDir(t);
  const refused = await run('gemini', [...GEMINI, '--skip-trust', '-p', '@fake shell echo hi'], {
    cwd,
  });
  assert.equal(refused.code, 0);
  assert.ok(
    !jsonLines(refused.stdout).some((event) => event.type === 'tool_use'),
    'auto_edit: no shell',
  );
  const pidFile = path.join(cwd, 'shell.pid');
  const yolo = start(
    'gemini',
    [
      '-o',
      'stream-json',
      '-y',
      '--skip-trust',
      '-p',
      `@fake shell echo $$ > ${pidFile}; exec sleep 30`,
    ],
    { cwd },
  );
  await yolo.waitFor('stdout', '"run_shell_command"');
  // The tool's shell writes its pid once it runs, which a loaded machine may delay.
  await waitForText(pidFile, '\n');
  const shellPid = Number(readFileSync(pidFile, 'utf8'));
  const stat = readFileSync(`/proc/${shellPid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  assert.equal(Number(fields[3]), shellPid, 'the shell leads a session of its own (setsid)');
  killGroup(yolo.child, 'SIGTERM');
  const ended = await yolo.done;
  assert.equal(ended.code, 0, 'gemini exits 0 on SIGTERM');
  assert.doesNotThrow(() => process.kill(shellPid, 0), 'its shell survived');
  process.kill(shellPid, 'SIGKILL');
});

test('claude: --help lists the 2.1.332 permission modes; default is still accepted; a refused write is a denial', async (t) => {
  const cwd = tempDir(t);
  const help = await run('claude', ['--help'], { cwd });
  assert.match(
    help.stdout,
    /--permission-mode <mode>.*\(choices: "acceptEdits", "auto", "bypassPermissions", "manual", "dontAsk", "plan"\)/,
  );
  assert.doesNotMatch(help.stdout, /--max-turns/, 'hidden from --help');
  const writeOut = '@fake write out.md\nx\n@fake end\n@fake shell mkdir made';
  const denied = await run('claude', [...CLAUDE_STREAM, '--permission-mode', 'default', writeOut], {
    cwd,
  });
  assert.equal(denied.code, 0);
  const result = jsonLines(denied.stdout).at(-1);
  assert.equal(result?.is_error, false);
  const denials = result?.permission_denials as Record<string, unknown>[];
  assert.deepEqual(
    denials.map((denial) => denial.tool_name),
    ['Write', 'Bash'],
  );
  assert.equal(obj(denials[0]?.tool_input).file_path, path.join(cwd, 'out.md'));
  const bogus = await run('claude', [...CLAUDE_STREAM, '--permission-mode', 'sometimes', 'hi'], {
    cwd,
  });
  assert.equal(bogus.code, 1);
  assert.match(
    bogus.stderr,
    /argument 'sometimes' is invalid\. Allowed choices are acceptEdits, auto/,
  );
});

test('claude: input_tokens excludes the cache reads and writes, which come apart', async (t) => {
  const cwd = tempDir(t);
  const ran = await run('claude', [...CLAUDE_STREAM, 'hello'], { cwd });
  const result = jsonLines(ran.stdout).at(-1);
  const usage = obj(result?.usage);
  assert.ok(Number(usage.cache_read_input_tokens) > 0);
  assert.ok(Number(usage.cache_creation_input_tokens) > 0);
  const perModel = Object.values(obj(result?.modelUsage))[0] as Record<string, number>;
  assert.equal(perModel.inputTokens, usage.input_tokens);
  assert.equal(perModel.cacheReadInputTokens, usage.cache_read_input_tokens);
});

test('codex: two starts within 100 ms on one CODEX_HOME: the later fails with "database is locked"', async (t) => {
  const cwd = tempDir(t);
  // Two processes spawned together may still start further apart on a loaded machine: the
  // fake's own log of start times says which case each try was.
  let collided = false;
  for (let attempt = 0; attempt < 5 && !collided; attempt += 1) {
    const home = tempDir(t);
    const both = await Promise.all(
      ['one', 'two'].map((prompt) =>
        run('codex', [...CODEX, prompt], { cwd, env: { CODEX_HOME: home } }),
      ),
    );
    const times = readFileSync(path.join(home, 'fake-starts.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => Number(line.split(' ')[0]));
    const apart = Math.abs((times[1] ?? 0) - (times[0] ?? 0));
    const codes = both.map((result) => result.code).sort();
    if (apart >= 100) {
      assert.deepEqual(codes, [0, 0], `${apart} ms apart: no collision`);
      continue;
    }
    collided = true;
    assert.deepEqual(codes, [0, 1], `${apart} ms apart`);
    const loser = both.find((result) => result.code === 1);
    assert.match(String(loser?.stderr), /state_5\.sqlite.*database is locked/);
    assert.equal(loser?.stdout, '', 'no event: it failed before the thread started');
  }
  assert.ok(collided, 'two simultaneous starts collided at least once in five tries');
  const home = tempDir(t);
  await run('codex', [...CODEX, 'first'], { cwd, env: { CODEX_HOME: home } });
  const later = await run('codex', [...CODEX, 'later'], { cwd, env: { CODEX_HOME: home } });
  assert.equal(later.code, 0, 'a start well after the last one is fine');
});

test('state files are read-modify-written non-atomically: starts close together lose updates', async (t) => {
  const cwd = tempDir(t);
  const home = tempDir(t);
  const env = { HOME: home, GEMINI_CLI_TRUST_WORKSPACE: 'true' };
  await Promise.all([1, 2, 3].map(() => run('gemini', [...GEMINI, '-p', 'hi'], { cwd, env })));
  const racing = JSON.parse(readFileSync(path.join(home, '.gemini/projects.json'), 'utf8'));
  assert.ok(racing.starts < 3, `lost updates: ${racing.starts} of 3 starts recorded`);
  const spaced = tempDir(t);
  for (let index = 0; index < 3; index += 1) {
    await run('gemini', [...GEMINI, '-p', 'hi'], { cwd, env: { ...env, HOME: spaced } });
  }
  const apart = JSON.parse(readFileSync(path.join(spaced, '.gemini/projects.json'), 'utf8'));
  assert.equal(apart.starts, 3);
  const claudeHome = tempDir(t);
  await run('claude', [...CLAUDE_STREAM, 'hi'], { cwd, env: { CLAUDE_CONFIG_DIR: claudeHome } });
  const config = JSON.parse(readFileSync(path.join(claudeHome, '.claude.json'), 'utf8'));
  assert.equal(config.numStartups, 1);
});
