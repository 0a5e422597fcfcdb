// Big YAML workflows parsed a slice of phases at a time give exactly the value of a whole parse,
// and anything the slicer cannot cut safely falls back to the whole parse (undefined).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { parse } from 'yaml';

import { loadWorkflow } from '../../src/workflow/load.js';
import { parseYamlInSlices } from '../../src/workflow/yaml-slices.js';
import { tempDir } from '../helpers/tmp.js';

const LAYOUTS: Record<string, string> = {
  indented: `name: big
# a comment before
defaults: { agent: command }
phases:
  # the first phase
  - id: a
    command: |
      echo one
      - not an item
  - id: b
    needs: [a]
    command: "echo two"

  - id: c
    env: { X: "1" }
    argv: [sh, -c, 'echo "$X"']
  - id: d
    env: { Y: "2" }
    command: echo three # trailing
dirs:
  logs: logs
`,
  compact: `phases:
- id: a
  command: echo one
- id: b
  needs:
  - a
  command: echo two
- id: c
  command: >
    folded
    text
name: compact
`,
};

for (const [layout, text] of Object.entries(LAYOUTS)) {
  test(`yaml slices (${layout}): the same value as a whole parse, at every slice size`, () => {
    for (const size of [1, 2, 3, 1000])
      assert.deepEqual(parseYamlInSlices(text, 100, size), parse(text), `slices of ${size}`);
  });
}

test('yaml slices: what cannot be cut safely is parsed whole (undefined here)', () => {
  const cases = {
    'an alias to an anchor of another slice': 'phases:\n  - &a { id: a }\n  - *a\n',
    'a flow list': 'phases: [{ id: a }]\n',
    'two documents': 'phases:\n  - id: a\n---\nx: 1\n',
    'a duplicate key in an item': 'phases:\n  - id: a\n    id: b\n',
    'a second phases key': 'phases:\n  - id: a\nphases:\n  - id: b\n',
    'no list under phases': 'phases:\nname: x\n',
    'a quote cut by a line at the item indent': 'phases:\n  - id: "a\n  - b"\n',
  };
  for (const [what, text] of Object.entries(cases))
    assert.equal(parseYamlInSlices(text, 100, 1), undefined, what);
});

test('a big YAML workflow (over 256 KB) loads as the same JSON workflow does; its problems keep their places', (t) => {
  const dir = tempDir(t);
  const count = 6000;
  const phases = Array.from({ length: count }, (_, i) => ({
    id: `p${i}`,
    command: `echo ${i} && true`,
    ...(i > 0 ? { needs: [`p${i - 1}`] } : {}),
  }));
  const yamlLines = ['name: big', 'defaults: { agent: command }', 'phases:'];
  for (const phase of phases) {
    yamlLines.push(`  - id: ${phase.id}`, `    command: ${phase.command}`);
    if (phase.needs !== undefined) yamlLines.push(`    needs: [${phase.needs.join(', ')}]`);
  }
  const yamlFile = path.join(dir, 'big.yaml');
  const jsonFile = path.join(dir, 'big.json');
  writeFileSync(yamlFile, `${yamlLines.join('\n')}\n`);
  writeFileSync(jsonFile, JSON.stringify({ name: 'big', defaults: { agent: 'command' }, phases }));
  assert.deepEqual(loadWorkflow(yamlFile).declared, loadWorkflow(jsonFile).declared);
  // A problem deep in the file still names its line.
  writeFileSync(yamlFile, `${yamlLines.join('\n')}\n  - id: p1\n    command: echo again\n`);
  assert.throws(
    () => loadWorkflow(yamlFile),
    (error: Error) => {
      assert.match(error.message, new RegExp(`big\\.yaml:${yamlLines.length + 1}:\\d+: .*p1`));
      return true;
    },
  );
});
