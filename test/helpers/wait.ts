// Waiting for something a real process does, such as writing "ready" into its log.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves once the file at `path` contains `text`; rejects after `limitMs`. */
export async function waitForText(path: string, text: string, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      if (readFileSync(path, 'utf8').includes(text)) return;
    } catch {
      // Not written yet.
    }
    if (Date.now() > deadline) throw new Error(`"${text}" did not appear in ${path}`);
    await sleep(20);
  }
}
