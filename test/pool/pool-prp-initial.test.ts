// `prp generate FILE --redis`: an initial file typed as an absolute path inside the project runs
// as the same file typed relatively (its declared input travels, the prompts name it relative to
// the project); one outside the project is refused before anything runs. The worker runs as
// another user and cannot read the coordinator's directories.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { type AgentProject, agentProject, scriptHappyPrp } from '../helpers/agents.js';
import { runCli } from '../helpers/cli.js';
import { endLines, parexEnv } from '../helpers/exec.js';
import { manifestLines } from '../helpers/manifest.js';
import { type HiddenWorker, hiddenWorker, otherUser } from '../helpers/other-user.js';
import { tempDir } from '../helpers/tmp.js';

const user = otherUser(63_000);
let pool: HiddenWorker | null = null;

before(async () => {
  if (user.cannot !== null) return;
  pool = await hiddenWorker(
    user,
    'prp',
    (_home, scripts) => {
      const scripted = {
        script: (phase: string, lines: readonly string[]) =>
          writeFileSync(path.join(scripts, `${phase}.txt`), `${lines.join('\n')}\n`),
      } as unknown as AgentProject;
      scriptHappyPrp(scripted, 'user_auth', 9);
    },
    ['--concurrency', '3'],
    { FAKE_AGENT_ALLOW_ALL_WRITES: '1', FAKE_CLAUDE_STDIN_TIMEOUT_MS: '2000' },
  );
});

after(async () => {
  await pool?.stop();
});

const INITIAL = { 'prps/INITIAL_user_auth.md': '# Feature: user auth\n\nEmail login.\n' };

test('prp generate /abs/project/prps/INITIAL_x.md --redis runs as the relative path does: the input travels, no coordinator path reaches the worker', async (t) => {
  if (user.cannot !== null) return t.skip(user.cannot);
  const made = agentProject(t, INITIAL);
  const initial = path.join(made.dir, 'prps', 'INITIAL_user_auth.md');
  const env = { ...parexEnv(null), ...made.env, XDG_CACHE_HOME: tempDir(t) };
  const run = await runCli(
    ['prp', 'generate', initial, '--redis', (pool as HiddenWorker).redis.url],
    { cwd: made.dir, env, limitMs: 120_000 },
  );
  assert.equal(run.code, 0, `${run.stderr}\n${pool?.worker.output()}`);
  assert.match(run.stderr, /PRP complete: prps\/user_auth\.md \(score 9\/10 after 1 attempt\)/);
  const ends = endLines(
    manifestLines(path.join(made.dir, 'prps/user_auth/codex/logs/manifest.jsonl')),
  );
  assert.equal(ends.length, 6);
  for (const end of ends) assert.equal(end.outcome, 'success', JSON.stringify(end));
  const prompts = (pool as HiddenWorker).invocations().map((line) => String(line.prompt));
  assert.ok(prompts.some((prompt) => prompt.includes('prps/INITIAL_user_auth.md')));
  for (const prompt of prompts) assert.ok(!prompt.includes(made.dir), prompt);
});

test('prp generate with an initial file outside the project --redis: exit 2 saying to copy it in, nothing spawned or written', async (t) => {
  if (user.cannot !== null) return t.skip(user.cannot);
  const made = agentProject(t);
  const outside = path.join(tempDir(t), 'INITIAL_user_auth.md');
  writeFileSync(outside, '# Feature: user auth\n');
  const env = { ...parexEnv(null), ...made.env, XDG_CACHE_HOME: tempDir(t) };
  const before = (pool as HiddenWorker).invocations().length;
  const run = await runCli(
    ['prp', 'generate', outside, '--redis', (pool as HiddenWorker).redis.url],
    { cwd: made.dir, env, limitMs: 60_000 },
  );
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /the initial file \S+INITIAL_user_auth\.md is outside the project/);
  assert.match(run.stderr, /copy it into the project/);
  assert.ok(!existsSync(path.join(made.dir, 'prps')), 'nothing written');
  assert.equal((pool as HiddenWorker).invocations().length, before, 'nothing spawned');
});
