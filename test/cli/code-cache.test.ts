// The executable and its bundles, on a copy of dist/bin/ (so that no other test sees a broken
// cache): each command runs from a bundle of its own whose name carries a content hash; the code
// cache is written after the first run, then used and left alone; a corrupt cache is replaced,
// and one that cannot be written never breaks a run.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import test, { type TestContext } from 'node:test';

import { COMMAND_NAMES } from '../../src/cli/command-names.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

/** A copy of the built executable and its bundles, with the package.json they read. */
function installCopy(t: TestContext): { bin: string; bundles: string } {
  const root = tempDir(t);
  cpSync(path.join(REPO_ROOT, 'dist', 'bin'), path.join(root, 'dist', 'bin'), {
    recursive: true,
    filter: (file) => !file.endsWith('.cache'),
  });
  copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(root, 'package.json'));
  return {
    bin: path.join(root, 'dist', 'bin', 'parex.cjs'),
    bundles: path.join(root, 'dist', 'bin', 'bundles'),
  };
}

function run(bin: string, args: readonly string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function bundleOf(bundles: string, command: string): string {
  const name = readdirSync(bundles).find(
    (file) => file.startsWith(`${command}-`) && file.endsWith('.cjs'),
  );
  assert.ok(name !== undefined, `no bundle of ${command} in ${readdirSync(bundles).join(', ')}`);
  return path.join(bundles, name);
}

test('every command has a self-contained bundle whose name carries a content hash', () => {
  const bundles = path.join(REPO_ROOT, 'dist', 'bin', 'bundles');
  const names = readdirSync(bundles).filter((file) => file.endsWith('.cjs'));
  for (const command of [...COMMAND_NAMES, 'all']) {
    assert.ok(
      names.some((file) => new RegExp(`^${command}-[A-Z0-9]{8}\\.cjs$`).test(file)),
      `${command}: ${names.join(', ')}`,
    );
  }
  // Self-contained: a bundle requires Node's own modules only; the pool's dependencies' bundle
  // also keeps their optional requires, each inside a try (debug's colours, BullMQ's PostgreSQL
  // and Valkey GLIDE back ends, which the pool never uses).
  const optional = new Set(['supports-color', 'pg', '@valkey/valkey-glide']);
  for (const file of names) {
    const source = readFileSync(path.join(bundles, file), 'utf8');
    const allowed = (name: string) =>
      isBuiltin(name) || (file.startsWith('pool-deps-') && optional.has(name));
    for (const [, required = ''] of source.matchAll(/\brequire\(["']([^"']+)["']\)/g)) {
      assert.ok(allowed(required), `${file} requires ${required}`);
    }
  }
  assert.ok(
    names.some((file) => /^pool-deps-[A-Z0-9]{8}\.cjs$/.test(file)),
    `pool-deps: ${names.join(', ')}`,
  );
});

test('the code cache is written after the first run, then used without being rewritten', (t) => {
  const { bin, bundles } = installCopy(t);
  const cache = `${bundleOf(bundles, 'name')}.cache`;
  const first = run(bin, ['name', 'prps/INITIAL_user_auth.md']);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.stdout, 'user_auth\n');
  const written = statSync(cache);
  assert.ok(written.size > 1000, `cache of ${written.size} bytes`);

  const second = run(bin, ['name', 'prps/INITIAL_user_auth.md']);
  assert.equal(second.status, 0, second.stderr);
  assert.equal(second.stdout, 'user_auth\n');
  const after = statSync(cache);
  assert.equal(after.ino, written.ino, 'an accepted cache is not written again');
  assert.equal(after.mtimeMs, written.mtimeMs);
  assert.deepEqual(
    readdirSync(bundles).filter((file) => file.endsWith('.partial')),
    [],
    'no partial cache file is left behind',
  );
});

test('a usage error (exit status 2) writes no code cache: it compiled little of a run', (t) => {
  const { bin, bundles } = installCopy(t);
  const result = run(bin, ['name', 'a;b']);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /invalid feature name/);
  assert.deepEqual(
    readdirSync(bundles).filter((file) => file.endsWith('.cache')),
    [],
  );
});

test('a corrupt code cache is refused by V8 and replaced; the command runs as usual', (t) => {
  const { bin, bundles } = installCopy(t);
  const cache = `${bundleOf(bundles, 'name')}.cache`;
  const garbage = Buffer.alloc(4096, 0x5a);
  writeFileSync(cache, garbage);
  const result = run(bin, ['name', 'prps/INITIAL_user_auth.md']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, 'user_auth\n');
  assert.notDeepEqual(readFileSync(cache), garbage, 'the corrupt cache was replaced');
});

test('a code cache that cannot be written never breaks a run', (t) => {
  const { bin, bundles } = installCopy(t);
  // A directory where the cache file should be: reading and replacing it both fail.
  const cache = `${bundleOf(bundles, 'exec')}.cache`;
  mkdirSync(cache);
  const dir = tempDir(t);
  const result = spawnSync(
    process.execPath,
    [bin, 'exec', '--log-dir', path.join(dir, 'logs'), '--', 'echo hi', 'exit 3'],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stderr, /job2 +exit 3 +FAILED \(exit 3\)/);
  assert.equal(readFileSync(path.join(dir, 'logs', 'job1.log'), 'utf8'), 'hi\n');
  assert.ok(statSync(cache).isDirectory());
  assert.deepEqual(
    readdirSync(bundles).filter((file) => file.endsWith('.partial')),
    [],
  );
});

test('--version is answered by the executable; --help and unknown commands run the whole CLI', (t) => {
  const { bin, bundles } = installCopy(t);
  const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  for (const flag of ['--version', '-V']) {
    const result = run(bin, [flag]);
    assert.equal(result.status, 0);
    assert.equal(result.stdout, `${version}\n`);
  }
  const caches = () => readdirSync(bundles).filter((file) => file.endsWith('.cache'));
  assert.deepEqual(caches(), [], '--version runs no bundle');
  const help = run(bin, ['--help']);
  assert.equal(help.status, 0);
  for (const command of ['exec', 'run', 'prp', 'status', 'selftest']) {
    assert.match(help.stdout, new RegExp(`^  ${command} `, 'm'));
  }
  const unknown = run(bin, ['exce']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command 'exce'/);
  assert.match(unknown.stderr, /Did you mean exec\?/);
  assert.ok(statSync(`${bundleOf(bundles, 'all')}.cache`).isFile());
});

test('the former name of the executable, dist/bin/parex.js, still runs parex (older links point to it)', (t) => {
  const { bin } = installCopy(t);
  const former = path.join(path.dirname(bin), 'parex.js');
  const result = run(former, ['name', 'prps/INITIAL_user_auth.md']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, 'user_auth\n');
  const usage = run(former, ['exec']);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /no commands to run/);
});

test('first runs at the same time all succeed and leave one whole cache, no partial file', async (t) => {
  const { bin, bundles } = installCopy(t);
  const runs = Array.from({ length: 4 }, () => {
    const child = spawn(process.execPath, [bin, 'name', 'prps/INITIAL_user_auth.md'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    return once(child, 'exit').then(([code]) => ({ code, stdout }));
  });
  for (const result of await Promise.all(runs)) {
    assert.deepEqual(result, { code: 0, stdout: 'user_auth\n' });
  }
  const files = readdirSync(bundles).filter((file) => file.startsWith('name-'));
  assert.equal(files.filter((file) => file.endsWith('.cache')).length, 1, files.join(', '));
  assert.deepEqual(
    files.filter((file) => file.endsWith('.partial')),
    [],
  );
  // The cache left behind is one V8 accepts: the next run does not write it again.
  const cache = `${bundleOf(bundles, 'name')}.cache`;
  const before = statSync(cache);
  assert.equal(run(bin, ['name', 'x_y']).stdout, 'x_y\n');
  assert.equal(statSync(cache).mtimeMs, before.mtimeMs);
});
