// A best-of-N phase with an agent judge on a worker that cannot see the coordinator's files (it
// runs as another user; the coordinator's directories are root's, mode 0700). The judge's prompt
// lists the candidates' patches: they travel with the judge's job, the worker writes them in the
// attempt's side directory, and the prompt the judge reads names the worker's paths.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { agentProject, flow, writes } from '../helpers/agents.js';
import { runCli } from '../helpers/cli.js';
import { endLines, onlyLineOf, parexEnv, runIdOf } from '../helpers/exec.js';
import { git } from '../helpers/git.js';
import { manifestLines } from '../helpers/manifest.js';
import { type HiddenWorker, hiddenWorker, otherUser } from '../helpers/other-user.js';
import { tempDir } from '../helpers/tmp.js';

const user = otherUser(62_000);
let pool: HiddenWorker | null = null;

before(async () => {
  if (user.cannot !== null) return;
  pool = await hiddenWorker(
    user,
    'judge',
    (_home, scripts) => {
      // Three candidates edit the same file differently; only the second says "BEST".
      const edits = ['a plain answer', 'the BEST answer', 'another plain answer'];
      for (const [index, text] of edits.entries()) {
        writeFileSync(
          path.join(scripts, `pick-c${index + 1}.txt`),
          [...writes('answer.txt', text), `@fake say candidate ${index + 1} done`, ''].join('\n'),
        );
      }
    },
    ['--concurrency', '3'],
    { FAKE_AGENT_ALLOW_ALL_WRITES: '1', FAKE_CLAUDE_STDIN_TIMEOUT_MS: '2000' },
  );
});

after(async () => {
  await pool?.stop();
});

/** The prompts of the worker's judges (those that list candidates). */
function judgePrompts(): string[] {
  return (pool as HiddenWorker)
    .invocations()
    .map((line) => String(line.prompt))
    .filter((prompt) => prompt.includes('- candidate 1: '));
}

test('an agent judge on a worker that cannot see the coordinator reads the candidates’ patches there and names the winner; apply brings its commit', async (t) => {
  if (user.cannot !== null) return t.skip(user.cannot);
  const made = agentProject(t, {
    'answer.txt': 'no answer yet\n',
    'task.md': 'Answer the question.\n',
    'judge.md': 'Choose the best answer.\n@fake pick-patch BEST\n',
    '.gitignore': '.fake-scripts/\n.fake-agents.jsonl\n',
    'flow.yaml': flow(
      'dirs: { logs: .parex/logs }',
      'defaults: { agent: codex }',
      'phases:',
      '  - id: pick',
      '    prompt: task.md',
      '    candidates: 3',
      '    judge: { agent: claude, prompt: judge.md }',
    ),
  });
  assert.equal(statSync(made.dir).mode & 0o777, 0o700, 'the coordinator’s directory is hidden');
  git(made.dir, 'init', '-q', '-b', 'main');
  git(made.dir, 'add', '-A');
  git(made.dir, 'commit', '-q', '-m', 'initial');
  const env = { ...parexEnv(null), ...made.env, XDG_CACHE_HOME: tempDir(t) };
  const run = await runCli(['run', 'flow.yaml', '--redis', (pool as HiddenWorker).redis.url], {
    cwd: made.dir,
    env,
    limitMs: 90_000,
  });
  const logs = path.join(made.dir, '.parex', 'logs');
  const all = endLines(manifestLines(path.join(logs, 'manifest.jsonl')));
  const pick = onlyLineOf(all, 'pick');
  assert.equal(run.code, 0, `${run.stderr}\n${JSON.stringify(pick)}\n${pool?.worker.output()}`);
  assert.equal((pick.worker as { name?: string } | undefined)?.name, 'judge');
  assert.equal(pick.winner, 'pick-c2', JSON.stringify(pick));
  assert.equal(pick.final_message, 'winner: 2');
  assert.equal(
    pick.commit,
    onlyLineOf(all, 'pick-c2').commit,
    'the winner’s commit is the phase’s',
  );

  // The judge read its patches on the worker: its prompt names the worker's side directory, and
  // no path of the coordinator.
  const [prompt, ...others] = judgePrompts();
  assert.equal(others.length, 0);
  const side = path.join((pool as HiddenWorker).workdir, '.parex', 'side', runIdOf(run.stderr));
  for (const k of [1, 2, 3]) {
    const listed = new RegExp(`^- candidate ${k}: (\\S+)$`, 'm').exec(String(prompt))?.[1] ?? '';
    assert.equal(listed, path.join(side, `pick.1`, `pick-c${k}.patch`), String(prompt));
  }
  assert.ok(!String(prompt).includes(made.dir), 'no coordinator path reached the worker');
  // Claude's Read may open them there: the side directory is one of its working directories.
  const [call] = (pool as HiddenWorker)
    .invocations()
    .filter((line) => String(line.prompt).includes('- candidate 1: '));
  const argv = (call?.argv ?? []) as string[];
  assert.equal(argv[argv.indexOf('--add-dir') + 1], path.join(side, 'pick.1'), argv.join(' '));
  // The coordinator's own copies are where a local run has them; the worker kept nothing.
  assert.match(readFileSync(path.join(logs, 'pick-c2.patch'), 'utf8'), /^\+the BEST answer$/m);
  assert.deepEqual(readdirSync(path.join((pool as HiddenWorker).workdir, '.parex', 'side')), []);

  const applied = await runCli(['apply'], { cwd: made.dir, env });
  assert.equal(applied.code, 0, applied.stderr);
  assert.equal(readFileSync(path.join(made.dir, 'answer.txt'), 'utf8'), 'the BEST answer\n');
});

test('an agent judge whose candidates’ patches exceed 32 MiB is not sent: spawn_error saying what to do, nothing of it runs', async (t) => {
  if (user.cannot !== null) return t.skip(user.cannot);
  const made = agentProject(t, {
    'judge.md': 'Choose.\n@fake pick-patch BIG\n',
    '.gitignore': '.fake-scripts/\n.fake-agents.jsonl\n',
    'flow.yaml': flow(
      'dirs: { logs: .parex/logs }',
      'phases:',
      '  - id: huge',
      '    agent: command',
      // 17 MiB each (two are over the limit), and small in git: they compress well.
      "    candidates: [{ command: 'yes BIG one | head -c 17M > big.txt' }, { command: 'yes BIG two | head -c 17M > big.txt' }]",
      '    judge: { agent: claude, prompt: judge.md }',
    ),
  });
  git(made.dir, 'init', '-q', '-b', 'main');
  git(made.dir, 'add', '-A');
  git(made.dir, 'commit', '-q', '-m', 'initial');
  const env = { ...parexEnv(null), ...made.env, XDG_CACHE_HOME: tempDir(t) };
  const before = judgePrompts().length;
  const run = await runCli(['run', 'flow.yaml', '--redis', (pool as HiddenWorker).redis.url], {
    cwd: made.dir,
    env,
    limitMs: 90_000,
  });
  assert.equal(run.code, 1, run.stderr);
  const all = endLines(manifestLines(path.join(made.dir, '.parex', 'logs', 'manifest.jsonl')));
  for (const id of ['huge-c1', 'huge-c2']) assert.equal(onlyLineOf(all, id).outcome, 'success');
  const huge = onlyLineOf(all, 'huge');
  assert.equal(huge.outcome, 'spawn_error', JSON.stringify(huge));
  assert.match(
    String(huge.error),
    /^claude: the files job huge reads that parex sends to the worker \(a best-of-N judge's candidate patches\) are larger than 32 MiB in all \(at \S+huge-c2\.patch\); a pool job carries at most 32 MiB of them: use a "command" or "score" judge/,
  );
  assert.equal(judgePrompts().length, before, 'no judge ran');
});
