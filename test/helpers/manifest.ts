// Reads a manifest file as plain JSON objects, failing on any line that does not parse; counts
// from its completion lines how many jobs of an agent ran at once.
import { readFileSync } from 'node:fs';

/** Every line of the manifest at `path`, parsed; throws on a line that is not JSON. */
export function manifestLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The most jobs of `agent` running at once, from the completion lines' start and end times. */
export function mostAtOnce(lines: readonly Record<string, unknown>[], agent: string): number {
  const points = lines
    .filter((line) => line.agent === agent && line.status !== 'started')
    .flatMap((line) => [
      { at: Date.parse(String(line.started_at)), step: 1 },
      { at: Date.parse(String(line.ended_at)), step: -1 },
    ])
    .sort((a, b) => a.at - b.at || a.step - b.step);
  let now = 0;
  let most = 0;
  for (const point of points) {
    now += point.step;
    most = Math.max(most, now);
  }
  return most;
}
