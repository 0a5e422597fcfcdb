// V8's young generation while a big value is built. While JSON.parse builds 100,000 phases,
// every object it makes survives, and V8 answers survivors by doubling the young generation up
// to its maximum (two 16 MB semi-spaces), which then stays: 16 MB more resident at the peak
// than needed, the copies promoted all the same. Holding its growth (a growth factor of 1) for
// the parse alone lowered the peak of a 100,000-phase --dry-run from about 145 to 135 MB, at no
// measurable CPU; afterwards it may grow again (held for the whole run, short-lived garbage is
// promoted instead, and the peak rises: BENCHMARKS.md).
import { setFlagsFromString } from 'node:v8';

/** Texts from this size on (about 15,000 phases of JSON) are parsed with the growth held. */
export const HELD_PARSE_CHARS = 1024 * 1024;

/** V8's default growth factor of a semi-space, put back after the parse. */
const DEFAULT_GROWTH_FACTOR = 2;

/** Flags by which node's user sizes the young generation: when given, parex leaves it alone. */
const YOUNG_FLAGS = [
  '--semi-space-growth-factor',
  '--max-semi-space-size',
  '--min-semi-space-size',
];

/** Whether node was given a flag starting `prefix`, on its command line or in NODE_OPTIONS
 * (V8 reads `_` and `-` alike). */
export function nodeFlagGiven(prefix: string): boolean {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return given.some((arg) => arg.replace(/_/g, '-').startsWith(prefix));
}

/** `build()`, with the young generation's growth held while it runs when `size` is big. */
export function withYoungGenerationHeld<T>(size: number, build: () => T): T {
  if (size < HELD_PARSE_CHARS || YOUNG_FLAGS.some(nodeFlagGiven)) return build();
  setFlagsFromString('--semi-space-growth-factor=1');
  try {
    return build();
  } finally {
    setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`);
  }
}
