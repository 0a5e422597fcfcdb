// sha256 of the short texts planning hashes for every phase. Phases of one workflow mostly share
// their env:, options and variables, so the hashes of recent texts are remembered and shared:
// one string for 100,000 phases instead of 100,000 equal ones.
import { createHash } from 'node:crypto';

/** Texts longer than this (prompts) are hashed every time and never remembered. */
const REMEMBERED_LENGTH = 1024;
/** How many distinct texts are remembered before starting over. */
const REMEMBERED_COUNT = 256;

const recent = new Map<string, string>();

/** The sha256 of `text`, in hex. */
export function sha256(text: string): string {
  const known = recent.get(text);
  if (known !== undefined) return known;
  const hash = createHash('sha256').update(text).digest('hex');
  if (text.length <= REMEMBERED_LENGTH) {
    if (recent.size >= REMEMBERED_COUNT) recent.clear();
    recent.set(text, hash);
  }
  return hash;
}
