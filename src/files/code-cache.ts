// Runs a CommonJS bundle with V8's code cache (a command's bundle, the pool's BullMQ and ioredis):
// the compiled code of an earlier run is read from FILE.cache, so that a start parses and
// compiles little. Node 20 has no compile cache of its
// own. V8 refuses a cache made by another V8 version or with other flags; since it checks the
// source only by its length, the bundles' file names carry a hash of their content, so that a
// cache can only ever meet the source it was made from. An installation parex cannot write to
// goes without.
import { accessSync, constants, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';

type ModuleWrapper = (
  exports: unknown,
  require: NodeJS.Require,
  module: Module,
  filename: string,
  dirname: string,
) => void;

/** Runs `file` as a CommonJS module and returns its exports; saves its code cache after a run
 * that had none to use. */
export function runWithCodeCache(file: string): unknown {
  const cacheFile = `${file}.cache`;
  const cachedData = readIfPresent(cacheFile);
  const source = readFileSync(file, 'utf8');
  // A hashbang line is valid only at the start of a file, not inside the module wrapper.
  const body = source.startsWith('#!') ? `//${source.slice(2)}` : source;
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) { ${body}\n})`,
    { filename: file, ...(cachedData === null ? {} : { cachedData }) },
  );
  if ((cachedData === null || script.cachedDataRejected === true) && writable(file)) {
    // After the run, so that the cache holds every function the run compiled; not after a
    // usage error (exit status 2), which compiles little of what a run needs.
    process.once('beforeExit', (exitCode) => {
      if (exitCode !== 2) saveCache(cacheFile, script);
    });
  }
  const wrapper = script.runInThisContext() as ModuleWrapper;
  const module = new Module(file);
  module.filename = file;
  wrapper.call(
    module.exports,
    module.exports,
    createRequire(file),
    module,
    file,
    path.dirname(file),
  );
  return module.exports;
}

function writable(file: string): boolean {
  try {
    accessSync(path.dirname(file), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function readIfPresent(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

/** Best effort, written aside and renamed into place, so that runs at once never see half a
 * cache; any failure leaves the run's exit status alone. */
function saveCache(cacheFile: string, script: Script): void {
  const partial = `${cacheFile}.${process.pid}-${Math.random().toString(36).slice(2)}.partial`;
  try {
    writeFileSync(partial, script.createCachedData(), { flag: 'wx' });
    renameSync(partial, cacheFile);
  } catch {
    try {
      rmSync(partial, { force: true });
    } catch {}
  }
}
