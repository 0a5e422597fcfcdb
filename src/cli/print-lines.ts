// Printing a long text made of lines without holding it: chunks of about 64 KB, each redacted,
// each written once stdout has taken the one before (a plan of 100,000 phases is 15 MB).
import { once } from 'node:events';

const CHUNK_CHARS = 64 * 1024;

/** Writes `lines` to stdout, one per line, each chunk through `redact`. */
export async function printLines(
  lines: Iterable<string>,
  redact: (text: string) => string,
): Promise<void> {
  let chunk = '';
  const flush = async () => {
    if (!process.stdout.write(redact(chunk))) await once(process.stdout, 'drain');
    chunk = '';
  };
  for (const line of lines) {
    chunk += `${line}\n`;
    if (chunk.length >= CHUNK_CHARS) await flush();
  }
  if (chunk !== '') await flush();
}
