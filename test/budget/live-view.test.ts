import assert from 'node:assert/strict';
import { test } from 'node:test';

import { agentProject } from '../helpers/agents.js';
import { CLI_PATH } from '../helpers/paths.js';
import { openTerminal } from '../helpers/tmux.js';

test('the live view shows the run spend and "claude paused Ns (rate limit)" while codex goes on', async (t) => {
  const project = agentProject(t, {
    'p.md': 'go\n',
    'flow.yaml': [
      'defaults: { stagger_same_agent: 0, agent_home: per-job }',
      'budget: { cost_usd: 10 }',
      'phases:',
      '  - { id: limited, agent: claude, prompt: p.md }',
      '  - { id: gate, agent: command, command: "sleep 1" }',
      '  - { id: other, agent: claude, prompt: p.md, needs: [gate] }',
      '  - { id: coder, agent: codex, prompt: p.md, needs: [gate] }',
      '',
    ].join('\n'),
  });
  project.script('limited', ['@fake usage input=10000 output=1000', '@fake rate-limit 40']);
  project.script('other', ['@fake say later']);
  project.script('coder', ['@fake sleep 20']);
  const env = Object.entries(project.env)
    .map(([key, value]) => `${key}='${value}'`)
    .join(' ');
  // After the gate (1 s, within the 40 s pause) the codex job starts and the claude one waits.
  const term = openTerminal(
    t,
    `cd ${project.dir} && env ${env} node ${CLI_PATH} run flow.yaml --feature feat; echo EXIT=$?; sleep 60`,
    120,
    20,
  );
  // The 40 s pause, counted down from the moment parex drew it (a loaded machine may draw or
  // capture the first screen a few seconds late).
  const screen = await term.waitFor('(rate limit)');
  assert.match(
    screen,
    /^ {2}spent \$0\.0450, 11\.0k tokens · claude paused (3\d|40|41)s \(rate limit\)$/m,
  );
  await term.waitFor('✔ gate');
  const seconds = (text: string) => Number(/claude paused (\d+)s/.exec(text)?.[1]);
  // The codex job starts during the pause: its row shows it running while the pause counts
  // down (a loaded machine may take a while to start it, so the screen is read until both
  // show, or 30 s of the 40 s pause pass).
  const later = await term.waitUntil(
    (shown) => /^ {2}\S coder +\d+\.\d+s \/ 600s/m.test(shown) && seconds(shown) < seconds(screen),
    'codex running while the pause counts down',
  );
  assert.match(later, /^ {2}· other +queued$/m, 'the other claude job waits for the pause');
  term.keys('C-c');
  await term.waitFor('EXIT=');
});
