// sha256 of the short texts planning hashes for every phase. Phases of one workflow mostly share
// their env:, options and variables, so each kind of text keeps the hash of the last text it
// saw: one string for 100,000 equal ones. Only the last one: a cache of many recent texts keeps
// each text and hash alive long enough for the garbage collector to move them to the old space,
// where 100,000 phases of distinct commands left 50 MB of garbage each time they were planned.
import crypto from 'node:crypto';

/** The hash of the last text of one kind, shared while the texts repeat. */
export class HashSlot {
  private text: string | null = null;
  private hash = '';

  /** The sha256 of `text`, the same string as last time when the text is the same. */
  of(text: string): string {
    if (text !== this.text) {
      this.hash = sha256(text);
      this.text = text;
    }
    return this.hash;
  }
}

/** The sha256 of `text`, in hex. */
export function sha256(text: string): string {
  return oneShot(text);
}

/** crypto.hash (Node 20.12 and later: a quarter of createHash's time on short texts), else createHash. */
const oneShot: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) =>
        (crypto as unknown as { hash(kind: string, text: string): string }).hash('sha256', text)
    : (text) => crypto.createHash('sha256').update(text).digest('hex');
