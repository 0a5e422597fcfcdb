// A pool that cannot be used (Redis not listening, or a wrong password) refuses exec, run,
// prp generate and worker with exit 2 before anything is written: the project's (or the
// worker's) directory lists byte for byte as before, with no .parex/, prps/F/ or --workdir.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { agentProject } from '../helpers/agents.js';
import { runCli } from '../helpers/cli.js';
import { parexEnv } from '../helpers/exec.js';
import { writeWorkflow } from '../helpers/faults.js';
import { git } from '../helpers/git.js';
import { freePort, startRedis, startWorker, type TestRedis } from '../helpers/pool.js';
import { tempDir } from '../helpers/tmp.js';

/** Every entry under `dir`: its path, kind, mode, and its bytes' digest for a file. */
function listing(dir: string): string[] {
  const lines: string[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const full = path.join(at, name);
      const stat = lstatSync(full);
      const kind = stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
      const digest =
        kind === 'file' ? createHash('sha256').update(readFileSync(full)).digest('hex') : '';
      lines.push(`${path.relative(dir, full)} ${kind} ${stat.mode.toString(8)} ${digest}`);
      if (kind === 'dir') walk(full);
    }
  };
  walk(dir);
  return lines;
}

let locked: TestRedis;
let closedUrl: string;
before(async () => {
  locked = await startRedis(undefined, 'right-secret');
  closedUrl = `redis://:pw-hidden@127.0.0.1:${await freePort()}`;
});
after(() => locked.stop());

/** The two ways in which the pool cannot be used: its URL, and what the error says. */
function faults() {
  return [
    {
      what: 'nothing listens',
      url: closedUrl,
      says: /cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ .*\n {2}why: .*needs Redis.*\n {2}fix: start it/,
    },
    {
      what: 'a wrong password',
      url: `redis://:wrong-secret@127.0.0.1:${locked.port}`,
      says: /cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ \(WRONGPASS.*\n {2}why: .*needs Redis.*\n {2}fix: check the user and password/,
    },
  ];
}

const INITIAL = { 'prps/INITIAL_user_auth.md': '# Feature: user auth\n\nEmail login.\n' };

/** Each command, in a project of its own (a git repository with everything committed when
 * `repo`): its argv with the pool's URL. */
const COMMANDS: readonly { name: string; repo?: true; argv: (url: string) => string[] }[] = [
  { name: 'exec', argv: (url) => ['exec', '--redis', url, '--', 'echo hi > out.txt'] },
  { name: 'run', argv: (url) => ['run', 'flow.yaml', '--redis', url, '--feature', 'billing'] },
  {
    name: 'run --isolate',
    repo: true,
    argv: (url) => ['run', 'flow.yaml', '--redis', url, '--feature', 'billing', '--isolate'],
  },
  {
    name: 'prp generate',
    argv: (url) => ['prp', 'generate', 'prps/INITIAL_user_auth.md', '--redis', url],
  },
];

describe('a pool that cannot be used: exit 2 and nothing written', { concurrency: 4 }, () => {
  for (const command of COMMANDS) {
    for (const index of [0, 1]) {
      it(`${command.name}, ${index === 0 ? 'nothing listens' : 'a wrong password'}`, async (t) => {
        const fault = faults()[index];
        assert.ok(fault !== undefined);
        const project = agentProject(t, INITIAL);
        writeWorkflow(project.dir, [
          'name: flow',
          'phases:',
          "  - { id: one, agent: command, command: 'echo one > one.txt' }",
        ]);
        if (command.repo === true) {
          git(project.dir, 'init', '-q');
          git(project.dir, 'add', '-A');
          git(project.dir, 'commit', '-qm', 'start');
        }
        // The fake agents' own log of their calls (--version) goes outside the project.
        const agentLog = path.join(project.home, 'agents.jsonl');
        const env = { ...parexEnv(null), ...project.env, FAKE_AGENT_LOG: agentLog };
        const before = listing(project.dir);
        const run = await runCli(command.argv(fault.url), { cwd: project.dir, env });
        assert.equal(run.code, 2, run.stderr);
        assert.match(run.stderr, fault.says);
        assert.doesNotMatch(run.stderr, /pw-hidden|wrong-secret/);
        assert.deepEqual(listing(project.dir), before);
      });
    }
  }

  for (const index of [0, 1]) {
    it(`worker, ${index === 0 ? 'nothing listens' : 'a wrong password'}: no --workdir`, async (t) => {
      const fault = faults()[index];
      assert.ok(fault !== undefined);
      const project = agentProject(t);
      const before = listing(project.dir);
      const run = await runCli(['worker', '--redis', fault.url, '--workdir', 'work/deeper'], {
        cwd: project.dir,
        env: parexEnv(null),
      });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, fault.says);
      assert.deepEqual(listing(project.dir), before);
    });
  }
});

it('a pool that answers, and a feature directory that cannot be made: exit 2, run id released', async (t) => {
  const project = agentProject(t);
  writeWorkflow(project.dir, [
    'name: flow',
    'phases:',
    "  - { id: one, agent: command, command: 'echo one > one.txt' }",
  ]);
  writeFileSync(path.join(project.dir, '.parex'), 'a file, not a directory\n');
  const before = listing(project.dir);
  const url = `redis://:right-secret@127.0.0.1:${locked.port}`;
  const run = await runCli(['run', 'flow.yaml', '--redis', url, '--feature', 'billing'], {
    cwd: project.dir,
    env: parexEnv(null),
  });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /cannot make the workflow directory \.parex\/features\/billing/);
  assert.deepEqual(listing(project.dir), before);
  // The coordinator's claim on its run id is gone: nothing of the run stays in Redis.
  const { Redis } = await import('ioredis');
  const client = new Redis({ port: locked.port, host: '127.0.0.1', password: 'right-secret' });
  try {
    assert.deepEqual(await client.keys('parex-run:*'), []);
  } finally {
    client.disconnect();
  }
});

it('a worker whose Redis answers makes a missing --workdir, parents and all', async (t) => {
  const root = tempDir(t);
  const workdir = path.join(root, 'missing', 'deeper');
  const url = `redis://:right-secret@127.0.0.1:${locked.port}`;
  // The later --workdir wins over the helper's own.
  const worker = await startWorker(url, 'w-made', root, ['--workdir', workdir]);
  try {
    assert.ok(existsSync(workdir), worker.output());
    assert.match(worker.output(), new RegExp(`in ${workdir}, Redis`));
  } finally {
    assert.equal(await worker.stop(), 0);
  }
});
