// Reads a manifest file as plain JSON objects, failing on any line that does not parse.
import { readFileSync } from 'node:fs';

/** Every line of the manifest at `path`, parsed; throws on a line that is not JSON. */
export function manifestLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
