// Marks the CLI entry points executable (tsc and esbuild do not set file modes): the bundled
// bin, and the entries older links (an npx cache) may still point to.
import { chmodSync, existsSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
for (const file of [...Object.values(pkg.bin), 'dist/bin/parex.js', 'dist/src/cli/main.js']) {
  const url = new URL(`../${file}`, import.meta.url);
  if (existsSync(url)) chmodSync(url, 0o755);
}
