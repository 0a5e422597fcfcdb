// Runs a CommonJS bundle with V8's code cache: the compiled code of an earlier run is read from
// FILE.cache, so that a start parses and compiles little. Node 20 has no compile cache of its
// own. V8 refuses a cache made by another V8 version or with other flags; since it checks the
// source only by its length, the bundles' file names carry a hash of their content, so that a
// cache can only ever meet the source it was made from.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

/** Runs `file` as a CommonJS module; saves its code cache after a run that had none to use. */
export function runWithCodeCache(file: string): void {
  const cacheFile = `${file}.cache`;
  const cachedData = readIfPresent(cacheFile);
  const source = readFileSync(file, 'utf8');
  // A hashbang line is valid only at the start of a file, not inside the module wrapper.
  const body = source.startsWith('#!') ? `//${source.slice(2)}` : source;
  const script = new Script(Module.wrap(body), {
    filename: file,
    ...(cachedData === null ? {} : { cachedData }),
  });
  if (cachedData === null || script.cachedDataRejected === true) {
    // After the run, so that the cache holds every function the run compiled.
    process.once('beforeExit', () => saveCache(cacheFile, script));
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
}

function readIfPresent(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

/** Best effort: an installation parex may not write to just goes without a cache. */
function saveCache(cacheFile: string, script: Script): void {
  const partial = `${cacheFile}.${process.pid}.partial`;
  try {
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, cacheFile);
  } catch {
    rmSync(partial, { force: true });
  }
}
