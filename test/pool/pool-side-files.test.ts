// A worker that cannot see the coordinator's files, as on another machine: it runs as another
// user, and the coordinator's directories are root's, mode 0700. The paths parex itself puts in
// a job's argv and env (codex's `-o` last-message file, a per-job agent home) are made on the
// worker, and the last message comes back to where a local run has it.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { type AgentProject, agentProject, flow, phaseEnds } from '../helpers/agents.js';
import { runCli } from '../helpers/cli.js';
import { parexEnv } from '../helpers/exec.js';
import { type HiddenWorker, hiddenWorker, otherUser } from '../helpers/other-user.js';
import { tempDir } from '../helpers/tmp.js';

const user = otherUser(61_000);
let pool: HiddenWorker | null = null;

before(async () => {
  if (user.cannot !== null) return;
  pool = await hiddenWorker(
    user,
    'other',
    (home, scripts) => {
      // The worker's own codex configuration, and what its phases do.
      mkdirSync(path.join(home, '.codex'));
      writeFileSync(
        path.join(home, '.codex', 'config.toml'),
        'model = "configured-on-the-worker"\n',
      );
      writeFileSync(path.join(scripts, 'p1.txt'), '@fake say p1 said this on the worker\n');
      writeFileSync(
        path.join(scripts, 'p2.txt'),
        ['@fake shell cat "$CODEX_HOME/config.toml"', '@fake say p2 ran in its own home', ''].join(
          '\n',
        ),
      );
    },
    ['--concurrency', '2'],
  );
});

after(async () => {
  await pool?.stop();
});

/** A project whose codex phases are p1 and p2 (its own home); the coordinator's own codex
 * configuration must not reach the worker. */
function project(t: Parameters<typeof agentProject>[0], logs: string): AgentProject {
  const made = agentProject(t, {
    'p.md': 'go\n',
    'flow.yaml': flow(
      'defaults: { agent: codex }',
      `dirs: { logs: ${JSON.stringify(logs)} }`,
      'phases:',
      '  - { id: p1, prompt: p.md }',
      '  - { id: p2, prompt: p.md, agent_home: per-job }',
    ),
  });
  mkdirSync(path.join(made.home, '.codex'));
  writeFileSync(path.join(made.home, '.codex', 'config.toml'), 'model = "the-coordinator-own"\n');
  return made;
}

/** The worker's invocations of `phase` (known by its last-message file). */
function invocations(phase: string): Record<string, unknown>[] {
  return (pool as HiddenWorker)
    .invocations()
    .filter((line) =>
      (line.argv as string[]).some((arg) => arg.endsWith(`/${phase}.last-message.md`)),
    );
}

for (const where of ['inside', 'outside'] as const) {
  test(`codex phases on a worker that cannot see the coordinator's files: log dir ${where} the project`, async (t) => {
    if (user.cannot !== null) return t.skip(user.cannot);
    const elsewhere = tempDir(t);
    const made = project(t, where === 'inside' ? 'logs' : elsewhere);
    assert.equal(statSync(made.dir).mode & 0o777, 0o700, 'the coordinator’s directory is hidden');
    const logs = where === 'inside' ? path.join(made.dir, 'logs') : elsewhere;
    const flags = ['--feature', `side-${where}`, '--redis', (pool as HiddenWorker).redis.url];
    const run = await runCli(['run', 'flow.yaml', ...flags], {
      cwd: made.dir,
      env: { ...parexEnv(null), ...made.env },
      limitMs: 60_000,
    });
    const p1log = path.join(logs, 'p1.log');
    const seen = existsSync(p1log) ? readFileSync(p1log, 'utf8') : '(no log)';
    assert.equal(run.code, 0, `${run.stderr}\n${seen}\n${pool?.worker.output()}`);
    const ends = phaseEnds(logs, '.');
    for (const [phase, said] of [
      ['p1', 'p1 said this on the worker'],
      ['p2', 'p2 ran in its own home'],
    ] as const) {
      const end = ends.get(phase);
      assert.equal(end?.outcome, 'success', JSON.stringify(end));
      assert.equal((end?.worker as { name?: string } | undefined)?.name, 'other');
      assert.equal(end?.final_message, said);
      // Where a local run has it, written by the coordinator from what the worker sent.
      assert.equal(readFileSync(path.join(logs, `${phase}.last-message.md`), 'utf8'), said);
      // On the worker, codex wrote it in the worker's own job area.
      const argv = (invocations(phase).at(-1)?.argv ?? []) as string[];
      const written = argv[argv.indexOf('-o') + 1] ?? '';
      assert.ok(
        written.startsWith(path.join((pool as HiddenWorker).workdir, '.parex', 'side')),
        written,
      );
      assert.ok(!String(argv).includes(made.dir), 'no coordinator path reached the worker');
    }
    // p2's home was made and seeded on the worker from the worker's own configuration.
    const env = invocations('p2').at(-1)?.env as Record<string, string> | undefined;
    const home = env?.CODEX_HOME ?? '';
    assert.ok(home.startsWith(path.join((pool as HiddenWorker).workdir, '.parex', 'side')), home);
    const p2log = readFileSync(path.join(logs, 'p2.log'), 'utf8');
    assert.match(p2log, /configured-on-the-worker/);
    assert.doesNotMatch(p2log, /the-coordinator-own/);
    // The coordinator's home for p2 is where a local run makes it; the worker kept nothing.
    assert.ok(existsSync(path.join(logs, 'p2.codex-home')));
    assert.deepEqual(readdirSync(path.join((pool as HiddenWorker).workdir, '.parex', 'side')), []);
  });
}
