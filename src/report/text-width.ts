// Widths in terminal columns, not code points: East Asian wide characters and emoji take two,
// combining marks and zero-width joiners none (string-width knows the Unicode tables). In the
// command bundles, string-width loads at its first use (scripts/bundle.mjs).
import stringWidth from 'string-width';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Made at the first cut of text that is not printable ASCII: the first Intl.Segmenter of a
 * process loads ICU's data (20-40 ms), which a run printing ASCII only never needs. */
let graphemes: Intl.Segmenter | null = null;

/** The columns `text` takes on a terminal (plain text, no escape sequences). */
export function displayWidth(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

/** Cuts plain text to at most `width` columns, marking a cut with "…"; never splits a character. */
export function cut(text: string, width: number): string {
  if (width <= 0) return '';
  // Fast path: printable ASCII is one column per character.
  if (PRINTABLE_ASCII.test(text)) {
    return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
  }
  if (stringWidth(text) <= width) return text;
  let used = 0;
  let kept = '';
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const { segment } of graphemes.segment(text)) {
    const columns = stringWidth(segment);
    if (used + columns > width - 1) break;
    kept += segment;
    used += columns;
  }
  return `${kept}…`;
}

/** Pads plain text with spaces to `width` columns. */
export function padColumns(text: string, width: number): string {
  const missing = width - displayWidth(text);
  return missing > 0 ? text + ' '.repeat(missing) : text;
}
