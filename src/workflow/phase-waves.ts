// The waves of a workflow's phases, by position and compactly: two typed arrays (the phases in
// wave order, and where each wave starts), so that a chain of 100,000 phases keeps 8 bytes a
// phase instead of an array per wave. The graph is acyclic (load.ts refuses cycles).

/** The phases in waves: each phase in the first wave after every phase it waits for. */
export interface PhaseWaves extends Iterable<readonly string[]> {
  readonly length: number;
  /** The ids of wave `index` (from 0), in declared order; undefined past the last. */
  at(index: number): readonly string[] | undefined;
  /** The positions of the phases of wave `index`, in declared order. */
  positions(index: number): Int32Array;
  /** Every phase's position, wave after wave (an order in which needs come first). */
  readonly order: Int32Array;
}

/** The waves of `ids`, where `waitsFor(i)` lists the positions phase `i` waits for. */
export function phaseWaves(
  ids: readonly string[],
  waitsFor: (index: number) => readonly number[],
): PhaseWaves {
  const count = ids.length;
  // Who waits for whom, as offsets into one array (Kahn's walk, no recursion).
  const pending = new Int32Array(count);
  const dependentCount = new Int32Array(count + 1);
  for (let index = 0; index < count; index += 1) {
    const needs = waitsFor(index);
    pending[index] = needs.length;
    for (const need of needs) dependentCount[need + 1] = (dependentCount[need + 1] as number) + 1;
  }
  for (let index = 0; index < count; index += 1)
    dependentCount[index + 1] =
      (dependentCount[index + 1] as number) + (dependentCount[index] as number);
  const dependents = new Int32Array(dependentCount[count] as number);
  const filled = dependentCount.slice(0, count);
  for (let index = 0; index < count; index += 1) {
    for (const need of waitsFor(index)) {
      dependents[filled[need] as number] = index;
      filled[need] = (filled[need] as number) + 1;
    }
  }
  const level = new Int32Array(count);
  const queue = new Int32Array(count);
  let tail = 0;
  for (let index = 0; index < count; index += 1) if (pending[index] === 0) queue[tail++] = index;
  let levels = count === 0 ? 0 : 1;
  for (let head = 0; head < tail; head += 1) {
    const node = queue[head] as number;
    const next = (level[node] as number) + 1;
    for (
      let at = dependentCount[node] as number;
      at < (dependentCount[node + 1] as number);
      at += 1
    ) {
      const dependent = dependents[at] as number;
      if ((level[dependent] as number) < next) level[dependent] = next;
      pending[dependent] = (pending[dependent] as number) - 1;
      if (pending[dependent] === 0) {
        queue[tail++] = dependent;
        if ((level[dependent] as number) + 1 > levels) levels = (level[dependent] as number) + 1;
      }
    }
  }
  // Wave by wave, declared order inside each (a counting sort by level).
  const starts = new Int32Array(levels + 1);
  for (let index = 0; index < count; index += 1)
    starts[(level[index] as number) + 1] = (starts[(level[index] as number) + 1] as number) + 1;
  for (let wave = 0; wave < levels; wave += 1)
    starts[wave + 1] = (starts[wave + 1] as number) + (starts[wave] as number);
  const order = new Int32Array(count);
  const placed = starts.slice(0, levels);
  for (let index = 0; index < count; index += 1) {
    const wave = level[index] as number;
    order[placed[wave] as number] = index;
    placed[wave] = (placed[wave] as number) + 1;
  }
  const positions = (wave: number) =>
    order.subarray(starts[wave] as number, starts[wave + 1] as number);
  const at = (wave: number) =>
    wave < 0 || wave >= levels
      ? undefined
      : Array.from(positions(wave), (index) => ids[index] as string);
  return {
    length: levels,
    at,
    positions,
    order,
    *[Symbol.iterator]() {
      for (let wave = 0; wave < levels; wave += 1) yield at(wave) as string[];
    },
  };
}
