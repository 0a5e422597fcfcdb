import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { loadWorkflow } from '../../src/workflow/load.js';
import { tempDir } from '../helpers/tmp.js';

test("a workflow's loaded phases are built by position from its checked phases, prompts read at load", (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'prompts'));
  writeFileSync(path.join(dir, 'prompts', 'shared.md'), 'Shared prompt for ${PHASE_NAME}\n');
  writeFileSync(path.join(dir, 'prompts', 'own.md'), 'Own prompt\n');
  const file = path.join(dir, 'flow.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'flow',
      defaults: { agent: 'claude' },
      phases: [
        { id: 'a', prompt: 'prompts/shared.md' },
        { id: 'b', prompt: 'prompts/shared.md', needs: ['a'] },
        { id: 'c', agent: 'codex', prompt: 'prompts/own.md', needs: ['a', 'b'] },
        { id: 'd', agent: 'command', command: 'true' },
      ],
    }),
  );
  const workflow = loadWorkflow(file);
  // The prompt texts were read when the workflow was loaded: a change since is not seen.
  writeFileSync(path.join(dir, 'prompts', 'shared.md'), 'changed\n');
  const { phases } = workflow;
  assert.equal(phases.length, 4);
  const shared = path.join(dir, 'prompts', 'shared.md');
  assert.deepEqual(
    [0, 1, 2, 3].map((index) => {
      const phase = phases.at(index);
      return [
        phase?.index,
        phase?.id,
        phase?.agent,
        phase?.needs,
        phase?.promptFile,
        phase?.promptTemplate,
      ];
    }),
    [
      [0, 'a', 'claude', [], shared, 'Shared prompt for ${PHASE_NAME}\n'],
      [1, 'b', 'claude', ['a'], shared, 'Shared prompt for ${PHASE_NAME}\n'],
      [2, 'c', 'codex', ['a', 'b'], path.join(dir, 'prompts', 'own.md'), 'Own prompt\n'],
      [3, 'd', 'command', [], null, null],
    ],
  );
  assert.equal(
    phases.at(1)?.declared,
    workflow.declared.phases[1],
    'the checked phase itself, not a copy',
  );
  assert.deepEqual(
    [...phases].map((phase) => phase.id),
    ['a', 'b', 'c', 'd'],
  );
  for (const outside of [-1, 4, 1.5]) assert.equal(phases.at(outside), undefined);
});
