// The @fake directives that end a run or change it: fail, api-error, exit, spawn-child,
// pick-patch (a judge), mistakes.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { tempDir } from '../helpers/tmp.js';
import {
  CLAUDE_STREAM,
  CODEX,
  GEMINI_STREAM,
  jsonLines,
  killGroup,
  obj,
  run,
  sleep,
  start,
} from './helpers.js';

test('@fake fail makes each agent report a failed run', async (t) => {
  const cwd = tempDir(t);
  const codex = await run('codex', [...CODEX, '@fake fail out of credits'], { cwd });
  assert.equal(codex.code, 1);
  assert.deepEqual(jsonLines(codex.stdout).at(-1), {
    type: 'turn.failed',
    error: { message: 'out of credits' },
  });

  const claude = await run('claude', [...CLAUDE_STREAM, '@fake fail tool crashed'], { cwd });
  assert.equal(claude.code, 1);
  const result = jsonLines(claude.stdout).at(-1);
  assert.equal(result?.subtype, 'error_during_execution');
  assert.equal(result?.is_error, true);
  assert.deepEqual(result?.errors, ['tool crashed']);

  const gemini = await run('gemini', [...GEMINI_STREAM, '-p', '@fake fail quota'], { cwd });
  assert.equal(gemini.code, 1);
  const events = jsonLines(gemini.stdout);
  assert.equal(events.at(-2)?.type, 'error');
  assert.equal(events.at(-1)?.type, 'result');
  assert.equal(events.at(-1)?.status, 'error');
});

test('@fake api-error: claude says subtype success, is_error true and exits 1 (2.1.332); gemini a result error, exit 144', async (t) => {
  const cwd = tempDir(t);
  const result = await run('claude', ['-p', '--output-format', 'json', '@fake api-error'], { cwd });
  assert.equal(result.code, 1);
  const message = JSON.parse(result.stdout);
  assert.equal(message.subtype, 'success');
  assert.equal(message.is_error, true);
  assert.equal(message.api_error_status, 529);
  assert.match(message.result, /^API Error: 529/);
  const old = await run(
    'claude',
    [
      '-p',
      '--output-format',
      'json',
      '@fake api-error API Error: 429 rate limit\n@fake exit-code 0',
    ],
    { cwd },
  );
  assert.equal(
    old.code,
    0,
    'the exit-0 variant of earlier versions (anthropics/claude-code#79500)',
  );
  assert.equal(JSON.parse(old.stdout).api_error_status, 429);
  const gemini = await run('gemini', [...GEMINI_STREAM, '-p', '@fake api-error 400 Bad Request'], {
    cwd,
  });
  assert.equal(gemini.code, 144);
  const events = jsonLines(gemini.stdout);
  assert.deepEqual(
    events.filter((event) => event.type === 'error'),
    [],
    'only the result event carries it',
  );
  assert.equal(events.at(-1)?.status, 'error');
  assert.match(String(obj(events.at(-1)?.error).message), /^\[API Error: 400 Bad Request\]/);
  const codex = await run('codex', [...CODEX, '@fake api-error'], { cwd });
  assert.equal(codex.code, 97, 'api-error is not a codex directive: a bad directive there');
});

test('@fake exit N crashes with no terminal event; @fake exit-code N only changes the code', async (t) => {
  const cwd = tempDir(t);
  const crash = await run('codex', [...CODEX, '@fake exit 3'], { cwd });
  assert.equal(crash.code, 3);
  assert.ok(!jsonLines(crash.stdout).some((e) => String(e.type).startsWith('turn.completed')));
  const claude = await run('claude', [...CLAUDE_STREAM, '@fake exit 143'], { cwd });
  assert.equal(claude.code, 143);
  assert.ok(!jsonLines(claude.stdout).some((m) => m.type === 'result'));
  const coded = await run('gemini', [...GEMINI_STREAM, '-p', '@fake exit-code 5'], { cwd });
  assert.equal(coded.code, 5);
  assert.equal(jsonLines(coded.stdout).at(-1)?.status, 'success');
});

test('@fake spawn-child leaves a grandchild in the same process group', async (t) => {
  const cwd = tempDir(t);
  const started = start('codex', [...CODEX, '@fake spawn-child\n@fake hang'], { cwd });
  const stderr = await started.waitFor('stderr', 'spawned child pid=');
  const pid = Number(/spawned child pid=(\d+)/.exec(stderr)?.[1]);
  const groupOf = (p: number) => {
    const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  };
  assert.equal(groupOf(pid), started.child.pid);
  killGroup(started.child);
  await started.done;
  let alive = true;
  for (let i = 0; i < 100 && alive; i += 1) {
    alive =
      existsSync(`/proc/${pid}`) && !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    if (alive) await sleep(10);
  }
  assert.equal(alive, false, 'killing the group killed the grandchild');
});

test('a malformed directive exits 97 and names the problem', async (t) => {
  const cwd = tempDir(t);
  const result = await run('gemini', ['-p', '@fake write x.txt\nno end marker'], { cwd });
  assert.equal(result.code, 97);
  assert.match(result.stderr, /bad directive: line 1: "@fake write x.txt" has no "@fake end"/);
});

test('@fake pick-patch reads every listed patch and names the first that adds WORD; an unreadable one fails the run', async (t) => {
  const cwd = tempDir(t);
  writeFileSync(path.join(cwd, 'c1.patch'), '+++ b/a.txt\n+plain BEST-less\n');
  writeFileSync(path.join(cwd, 'c2.patch'), '--- a/a.txt\n-old\n+the BEST one\n');
  const listed = (...files: string[]) =>
    files.map((file, index) => `- candidate ${index + 1}: ${file}`).join('\n');
  const prompt = `Choose.\n@fake pick-patch BEST one\n${listed('c1.patch', path.join(cwd, 'c2.patch'))}`;
  const claude = await run('claude', ['-p', '--output-format', 'json', prompt], { cwd });
  assert.equal(claude.code, 0, claude.stderr);
  assert.equal(JSON.parse(claude.stdout).result, 'winner: 2');

  const none = `@fake pick-patch WORST\n${listed('c1.patch', 'c2.patch')}`;
  const codex = await run('codex', [...CODEX, none], { cwd });
  assert.equal(codex.code, 0, codex.stderr);
  assert.match(codex.stdout, /no candidate adds \\"WORST\\"/);

  const missing = `@fake pick-patch BEST\n${listed('c1.patch', 'gone.patch')}`;
  const gemini = await run('gemini', [...GEMINI_STREAM, '-p', missing], { cwd });
  assert.equal(gemini.code, 1);
  assert.match(gemini.stdout, /cannot read gone\.patch: ENOENT/);
});

test('@fake pick-patch reads as the real file tools do: gemini only in the cwd and --include-directories, claude in the cwd and --add-dir unless permissions are skipped, codex anywhere', async (t) => {
  const cwd = tempDir(t);
  const logs = tempDir(t);
  writeFileSync(path.join(logs, 'c1.patch'), '+the BEST one\n');
  const prompt = `@fake pick-patch BEST\n- candidate 1: ${path.join(logs, 'c1.patch')}`;
  const gemini = (...flags: string[]) =>
    run('gemini', [...GEMINI_STREAM, ...flags, '-p', prompt], { cwd });
  const refused = await gemini();
  assert.equal(refused.code, 1);
  assert.match(refused.stdout, /File path must be within one of the workspace directories: /);
  const included = await gemini('--include-directories', logs);
  assert.equal(included.code, 0, included.stdout);
  assert.match(included.stdout, /winner: 1/);

  const claude = (...flags: string[]) =>
    // Flags first: --add-dir is variadic and would take the prompt too.
    run('claude', [...flags, '-p', '--output-format', 'json', prompt], { cwd });
  const denied = await claude();
  assert.equal(denied.code, 1);
  assert.match(
    denied.stdout,
    /Claude requested permissions to read from \S+c1\.patch, but you haven't granted it yet/,
  );
  for (const flags of [
    ['--add-dir', logs],
    ['--permission-mode', 'bypassPermissions'],
  ]) {
    const allowed = await claude(...flags);
    assert.equal(allowed.code, 0, allowed.stdout);
    assert.equal(JSON.parse(allowed.stdout).result, 'winner: 1');
  }
  const codex = await run('codex', [...CODEX, prompt], { cwd });
  assert.equal(codex.code, 0, codex.stderr);
  assert.match(codex.stdout, /winner: 1/);
});
