// Where parex is installed: the nearest directory above this module with parex's package.json,
// found the same way whether this module runs from dist/src/ (compiled) or dist/bin/ (bundled).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { root: string; version: string } | null = null;

/** The package's root directory and version. */
export function packageInfo(): { root: string; version: string } {
  if (cached !== null) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'parex') {
        cached = { root: dir, version: String(pkg.version) };
        return cached;
      }
    }
    dir = path.dirname(dir);
  }
  throw new Error(`parex's package.json was not found above ${fileURLToPath(import.meta.url)}`);
}
