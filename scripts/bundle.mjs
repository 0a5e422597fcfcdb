// Bundles the CLI into dist/bin/ (one entry file plus chunks that load only when a command
// needs them), so that start-up reads a few files instead of a hundred modules.
import { build } from 'esbuild';

await build({
  entryPoints: { parex: 'src/cli/main.ts' },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // Dependencies written as CommonJS call require(); ES modules need it defined.
  banner: {
    js: "import { createRequire as parexCreateRequire } from 'node:module';\nconst require = parexCreateRequire(import.meta.url);",
  },
});
