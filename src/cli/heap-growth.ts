// A big run's heap: each job leaves short-lived objects that outlive a young-generation GC and
// die in the old space, and V8 lets the old space grow to up to 4 times what was live after the
// last full GC before collecting it again. For a run of many jobs, whose live data is small and
// flat, that headroom is most of the peak resident size; holding growth to 1.5 times costs a
// full GC of about 10-60 ms every ten seconds or so, and never fails an allocation (it is a
// growth factor, not a limit).
import { setFlagsFromString } from 'node:v8';

import { nodeFlagGiven } from '../heap/young-generation.js';

const FLAG = '--heap-growing-percent';

/** Holds the old space's growth to 1.5 times the live heap, unless node was given the flag
 * (on its command line or in NODE_OPTIONS). */
export function holdHeapGrowth(): void {
  if (nodeFlagGiven(FLAG)) return;
  setFlagsFromString(`${FLAG}=50`);
}
