// What each agent is doing, in words: the live view's row on a real terminal (tmux), `parex logs`
// (and -f) for agent jobs, --raw for the stream as written, which stays unchanged in the log.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { type AgentProject, agentProject, writes } from '../helpers/agents.js';
import { runCli, waitForStderr } from '../helpers/cli.js';
import { CLI_PATH } from '../helpers/paths.js';
import { openTerminal } from '../helpers/tmux.js';

const LOGS = '.parex/features/feat/logs';

function project(t: Parameters<typeof agentProject>[0]): AgentProject {
  const made = agentProject(t, {
    'p.md': 'Work.\n',
    'flow.yaml': [
      'defaults: { sandbox: workspace-write, permission_mode: acceptEdits, approval_mode: yolo }',
      'phases:',
      '  - { id: x, agent: codex, prompt: p.md }',
      '  - { id: c, agent: claude, prompt: p.md }',
      '  - { id: g, agent: gemini, prompt: p.md }',
      '',
    ].join('\n'),
  });
  made.script('x', ['@fake shell sleep 4', '@fake say Checked the build.']);
  made.script('c', [...writes('notes.md', '# Notes'), '@fake sleep 4', '@fake say Notes written.']);
  made.script('g', ['@fake shell sleep 4 && echo ok', '@fake say All good.']);
  return made;
}

function shellEnv(env: NodeJS.ProcessEnv): string {
  return Object.entries(env)
    .map(([key, value]) => `${key}='${String(value)}'`)
    .join(' ');
}

test('the live view shows what each agent is doing in words, with its tokens so far; never raw JSON', async (t) => {
  const made = project(t);
  const term = openTerminal(
    t,
    `cd ${made.dir} && env ${shellEnv(made.env)} node ${CLI_PATH} run flow.yaml --feature feat; echo EXIT=$?; sleep 60`,
    140,
    20,
  );
  // Each row is checked on the screen that first shows it (the agents sleep 4 s in there).
  const rows: [string, RegExp][] = [
    // Its cost so far first (estimated until claude's result reports it), then its tokens.
    [
      'tool Write notes.md',
      /^ {2}\S c +\S+ \/ 600s +\$\d+\.\d{4} \[\d+ in \/ \d+ out\] tool Write notes\.md$/m,
    ],
    ['$ sleep 4', /^ {2}\S x +\S+ \/ 600s +\$ sleep 4$/m],
    [
      'tool run_shell_command sleep 4 && echo ok',
      /^ {2}\S g +\S+ \/ 600s +tool run_shell_command sleep 4 && echo ok$/m,
    ],
  ];
  for (const [text, row] of rows) {
    const screen = await term.waitFor(text);
    assert.doesNotMatch(screen, /\{"type"/, `no JSON:\n${screen}`);
    assert.match(screen, row, screen);
  }
  const end = await term.waitFor('EXIT=');
  assert.match(end, /EXIT=0/, end);
});

test('parex logs prints an agent log in words (also with -f); --raw prints it as written', async (t) => {
  const made = project(t);
  let started: Promise<void> = Promise.resolve();
  const running = runCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: made.dir,
    env: made.env,
    onSpawn: (child) => {
      started = waitForStderr(child, 'started  c ');
    },
  });
  const followed = (async () => {
    await started;
    return runCli(['logs', 'c', '-f', '--log-dir', LOGS], { cwd: made.dir });
  })();
  const run = await running;
  assert.equal(run.code, 0, run.stderr);
  const follow = await followed;
  const words = await runCli(['logs', 'c', '--log-dir', LOGS], { cwd: made.dir });
  assert.equal(words.code, 0, words.stderr);
  assert.equal(follow.stdout, words.stdout, '-f prints the same words as they come');
  const lines = words.stdout.trim().split('\n');
  assert.match(
    lines[0] ?? '',
    /^session [0-9a-f-]{36} \(claude-sonnet-\S+, permission mode acceptEdits\)$/,
  );
  assert.ok(lines.includes('tool Write notes.md'), words.stdout);
  assert.ok(lines.includes('Notes written.'), words.stdout);
  assert.match(
    lines.at(-1) ?? '',
    /^result: success, 2 turns, [\d.k]+ in \([\d.k]+ cached\) \/ \d+ out, \$0\.\d{4}$/,
  );
  assert.doesNotMatch(words.stdout, /\{"/);

  const codex = await runCli(['logs', 'x', '--log-dir', LOGS], { cwd: made.dir });
  const codexLines = codex.stdout.trim().split('\n');
  for (const expected of ['thinking', '$ sleep 4', '$ sleep 4 → exit 0', 'Checked the build.']) {
    assert.ok(codexLines.includes(expected), `${expected} in:\n${codex.stdout}`);
  }
  assert.match(
    codexLines.at(-1) ?? '',
    /^turn completed: [\d.k]+ in \([\d.k]+ cached\) \/ \d+ out$/,
  );
  const gemini = await runCli(['logs', 'g', '--log-dir', LOGS], { cwd: made.dir });
  assert.ok(
    gemini.stdout.includes(
      'tool run_shell_command sleep 4 && echo ok\ndone run_shell_command sleep 4 && echo ok\n',
    ),
    gemini.stdout,
  );
  assert.match(gemini.stdout, /All good\.\nresult: success, /);

  const raw = await runCli(['logs', 'c', '--raw', '--log-dir', LOGS], { cwd: made.dir });
  const file = readFileSync(path.join(made.dir, LOGS, 'c.log'), 'utf8');
  assert.equal(raw.stdout, file, '--raw is the log byte for byte');
  assert.ok(
    file
      .split('\n')
      .filter(Boolean)
      .every((line) => line.startsWith('{"type"')),
    'the log holds the raw stream',
  );
});

test('--output stream shows each agent in words, prefixed with its name; the log keeps the stream', async (t) => {
  const made = project(t);
  const run = await runCli(['run', 'flow.yaml', '--feature', 'feat', '--output', 'stream'], {
    cwd: made.dir,
    env: made.env,
  });
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  for (const expected of [
    '[c] tool Write notes.md',
    '[c] Notes written.',
    '[x] $ sleep 4',
    '[x] Checked the build.',
    '[g] tool run_shell_command sleep 4 && echo ok',
    '[g] All good.',
  ]) {
    assert.ok(lines.includes(expected), `${expected} in:\n${run.stdout}`);
  }
  assert.ok(
    lines.every((line) => /^\[[cxg]\] /.test(line)),
    run.stdout,
  );
  assert.doesNotMatch(run.stdout, /\{"/, 'no raw event on stdout');
  const words = await runCli(['logs', 'c', '--log-dir', LOGS], { cwd: made.dir });
  const streamed = lines.filter((line) => line.startsWith('[c] ')).map((line) => line.slice(4));
  assert.deepEqual(streamed, words.stdout.trim().split('\n'), 'the same words as parex logs');
  const file = readFileSync(path.join(made.dir, LOGS, 'c.log'), 'utf8');
  assert.ok(file.startsWith('{"type"'), 'the log holds the raw stream');
});
