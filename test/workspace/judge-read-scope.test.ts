// An agent judge reads the candidates' patches outside its worktree (in the log directory): a
// gemini judge is given `--include-directories LOG_DIR` and a claude judge `--add-dir LOG_DIR`,
// without which their file tools refuse the reads (as the fakes do, like the real CLIs).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { agentProject, runInRepo } from '../helpers/agents.js';
import { endLines, onlyLineOf } from '../helpers/exec.js';
import { manifestLines } from '../helpers/manifest.js';

for (const [agent, flag] of [
  ['gemini', '--include-directories'],
  ['claude', '--add-dir'],
] as const) {
  test(`a ${agent} judge may read the patches in the log directory (${flag}) and names the winner`, async (t) => {
    const project = agentProject(t, {
      'judge.md': 'Choose the best answer.\n@fake pick-patch BEST\n',
      '.gitignore': '.fake-scripts/\n.fake-agents.jsonl\n',
      'flow.yaml': [
        'dirs: { logs: .parex/logs }',
        'defaults: { agent: command, isolation: worktree }',
        'phases:',
        '  - id: pick',
        "    candidates: [{ command: 'echo plain > a.txt' }, { command: 'echo the BEST > a.txt' }]",
        `    judge: { agent: ${agent}, prompt: judge.md }`,
        '',
      ].join('\n'),
    });
    const run = await runInRepo(t, project, ['run', 'flow.yaml']);
    const logs = path.join(project.dir, '.parex', 'logs');
    const all = endLines(manifestLines(path.join(logs, 'manifest.jsonl')));
    const pick = onlyLineOf(all, 'pick');
    assert.equal(run.code, 0, `${run.stderr}\n${JSON.stringify(pick)}`);
    assert.equal(pick.winner, 'pick-c2', JSON.stringify(pick));
    assert.equal(pick.final_message, 'winner: 2');
    const argv = pick.argv as string[];
    assert.equal(argv[argv.indexOf(flag) + 1], logs, argv.join(' '));
    // The judge ran in a worktree, which does not hold the patches.
    assert.ok(!String(pick.workdir ?? '').startsWith(logs));
  });
}
