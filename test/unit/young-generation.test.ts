import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const MODULE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'src',
  'heap',
  'young-generation.js',
);

/** In a real node: the young generation's size (MB) after building 1,000,000 objects that all
 * survive, under withYoungGenerationHeld, then after as many again without it. */
function youngGeneration(nodeFlags: string[], env: NodeJS.ProcessEnv = {}): [number, number] {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { withYoungGenerationHeld } from ${JSON.stringify(MODULE)};
    const young = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size / 1048576;
    const build = () => Array.from({ length: 1e6 }, (_, index) => ({ index, name: 'p' + index }));
    const held = withYoungGenerationHeld(2 * 1024 * 1024, build);
    const during = young();
    const after = build();
    process.stdout.write(JSON.stringify([during, young(), held.length + after.length]));
  `;
  const run = spawnSync(process.execPath, [...nodeFlags, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', ...env },
  });
  assert.equal(run.status, 0, run.stderr);
  const [during, after, count] = JSON.parse(run.stdout) as [number, number, number];
  assert.equal(count, 2e6);
  return [during, after];
}

test("a big parse holds V8's young generation from growing, and lets it grow again after", () => {
  const [during, after] = youngGeneration([]);
  assert.ok(during <= 4, `held: ${during} MB`);
  assert.ok(after > during, `grows again after: ${during} then ${after} MB`);
});

test("a user's own young-generation flag wins, on the command line or in NODE_OPTIONS", () => {
  for (const [flags, env] of [
    [['--semi_space_growth_factor=2'], {}],
    [[], { NODE_OPTIONS: '--max-semi-space-size=16' }],
  ] as const) {
    const [during] = youngGeneration([...flags], env);
    assert.ok(
      during > 4,
      `not held with ${flags.join(' ')}${env.NODE_OPTIONS ?? ''}: ${during} MB`,
    );
  }
});
