// Bundles the CLI into dist/bin/ (run after tsc: it reads the command names from dist/src/):
// - bundles/NAME-HASH.cjs: one self-contained CommonJS file per command, and all-HASH.cjs with
//   every command (for --help and unknown commands), so that a start reads one file and
//   compiles none of the other commands' code. CommonJS, because Node's ES module loader costs
//   start-up time and its wrappers of Node's own modules load what they never use. The content
//   hash in the name ties each code cache (NAME-HASH.cjs.cache) to its exact source.
// - parex.cjs: the executable (src/cli/bin.ts), which runs one of them;
// - parex.js: the executable's former name, still the target of older links (an npx cache of
//   this checkout), which runs parex.cjs.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

import { COMMAND_NAMES } from '../dist/src/cli/command-names.js';

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  outExtension: { '.js': '.cjs' },
  // package-root.ts finds package.json from its own URL.
  define: { 'import.meta.url': 'parexModuleUrl' },
  banner: { js: "const parexModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
};

/** The entry of one command's bundle: the program with that command alone. */
const commandEntry = {
  name: 'parex-command',
  setup(builder) {
    builder.onResolve({ filter: /^parex-command:/ }, (args) => ({
      path: args.path.slice('parex-command:'.length),
      namespace: 'parex-command',
    }));
    builder.onLoad({ filter: /.*/, namespace: 'parex-command' }, ({ path: name }) => {
      const register = `register${name[0].toUpperCase()}${name.slice(1)}`;
      return {
        contents: [
          `import { ${register} } from './commands/${name}.js';`,
          "import { runCli } from './program.js';",
          `void runCli({ ${name}: ${register} });`,
        ].join('\n'),
        resolveDir: 'src/cli',
        loader: 'ts',
      };
    });
  },
};

/** The pool's dependencies (BullMQ, ioredis) as one module, for a bundle of their own. */
const poolDepsEntry = {
  name: 'parex-pool-deps',
  setup(builder) {
    builder.onResolve({ filter: /^parex-pool-deps$/ }, () => ({
      path: 'pool-deps',
      namespace: 'parex-pool-deps',
    }));
    builder.onLoad({ filter: /.*/, namespace: 'parex-pool-deps' }, () => ({
      contents: "module.exports = { bullmq: require('bullmq'), Redis: require('ioredis').Redis };",
      resolveDir: '.',
      loader: 'js',
    }));
  },
};

/** string-width in the command bundles: a stand-in that loads the real one (its own bundle,
 * `file`) at the first width asked for. Its start (ICU's grapheme segmenter) took 20-40 ms of
 * every run, and most runs print printable ASCII only, which text-width.ts measures itself. */
const lazyStringWidth = (file) => ({
  name: 'parex-lazy-string-width',
  setup(builder) {
    builder.onResolve({ filter: /^string-width$/ }, () => ({
      path: 'string-width',
      namespace: 'parex-lazy-string-width',
    }));
    builder.onLoad({ filter: /.*/, namespace: 'parex-lazy-string-width' }, () => ({
      contents: [
        'let width = null;',
        'module.exports = (text) => {',
        `  width ??= require(require('node:path').join(__dirname, ${JSON.stringify(file)}));`,
        '  return width(text);',
        '};',
      ].join('\n'),
      loader: 'js',
    }));
  },
});

rmSync('dist/bin', { recursive: true, force: true });
// BullMQ and ioredis in one bundle, which src/pool/modules.ts runs (with its code cache) only
// when a pool is used: requiring their files one by one took about 250 ms of each pooled start.
const poolDeps = await build({
  ...common,
  define: {},
  banner: {},
  entryPoints: { 'pool-deps': 'parex-pool-deps' },
  outdir: 'dist/bin/bundles',
  entryNames: '[name]-[hash]',
  metafile: true,
  plugins: [poolDepsEntry],
});
const poolDepsFile = path.basename(Object.keys(poolDeps.metafile.outputs)[0]);
// string-width in a bundle of its own, loaded by the command bundles' stand-in when needed.
const widthDeps = await build({
  ...common,
  define: {},
  banner: {},
  stdin: { contents: "module.exports = require('string-width').default;", resolveDir: '.' },
  outfile: 'dist/bin/bundles/width-deps.cjs',
  metafile: true,
});
const widthDepsFile = path.basename(Object.keys(widthDeps.metafile.outputs)[0]);
const bundles = await build({
  ...common,
  define: { ...common.define, PAREX_POOL_DEPS: JSON.stringify(poolDepsFile) },
  entryPoints: {
    ...Object.fromEntries(COMMAND_NAMES.map((name) => [name, `parex-command:${name}`])),
    all: 'src/cli/main.ts',
  },
  outdir: 'dist/bin/bundles',
  entryNames: '[name]-[hash]',
  metafile: true,
  plugins: [commandEntry, lazyStringWidth(widthDepsFile)],
});
// The bundles run inside vm.Script (src/files/code-cache.ts), which has no import(): esbuild
// inlines the import() of a bundled module but keeps that of a Node module. (A coarse check:
// import(/* comment */ x) would pass it.) BullMQ's one import() loads a sandboxed processor
// file, which parex never gives it (its processors are functions).
const SANDBOX_IMPORT = 'await import(processorFile)';
for (const file of [
  ...Object.keys(bundles.metafile.outputs),
  ...Object.keys(poolDeps.metafile.outputs),
]) {
  const source = readFileSync(file, 'utf8').replaceAll(SANDBOX_IMPORT, '');
  if (/(?<![\w.$])import\(\s*["'`\w]/.test(source)) {
    throw new Error(
      `${file} calls import(), which a bundle cannot: import Node's modules statically`,
    );
  }
}
const commandOf = (entryPoint) =>
  entryPoint === 'src/cli/main.ts' ? 'all' : entryPoint.replace(/^parex-command:/, '');
const fileOf = Object.fromEntries(
  Object.entries(bundles.metafile.outputs).map(([file, output]) => [
    commandOf(output.entryPoint ?? ''),
    path.basename(file),
  ]),
);
await build({
  ...common,
  entryPoints: { parex: 'src/cli/bin.ts' },
  outdir: 'dist/bin',
  define: { ...common.define, PAREX_BUNDLES: JSON.stringify(fileOf) },
});
writeFileSync(
  'dist/bin/parex.js',
  [
    '#!/usr/bin/env node',
    '// The former name of the executable, for links made before it became parex.cjs.',
    "import { createRequire } from 'node:module';",
    "createRequire(import.meta.url)('./parex.cjs');",
    '',
  ].join('\n'),
);
