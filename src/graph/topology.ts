// Dependency graphs of jobs and phases: cycles and waves. Every walk is iterative (an explicit
// stack, never recursion) and linear in nodes plus edges, so a chain of 100,000 phases is planned
// in the time it takes to read it.

/** A node and the names it needs. */
export interface GraphNode {
  readonly name: string;
  readonly needs: readonly string[];
}

/** The first dependency cycle found, as a list of names that ends where it starts; null if none. */
export function findCycle(nodes: readonly GraphNode[]): string[] | null {
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const state = new Map<string, 'visiting' | 'done'>();
  for (const node of nodes) {
    if (state.has(node.name)) continue;
    // Depth-first, with the path so far and, for each node on it, the next need to look at.
    const path: string[] = [node.name];
    const next: number[] = [0];
    state.set(node.name, 'visiting');
    while (path.length > 0) {
      const top = path.length - 1;
      const name = path[top] as string;
      const needs = byName.get(name)?.needs ?? [];
      const index = next[top] as number;
      if (index >= needs.length) {
        state.set(name, 'done');
        path.pop();
        next.pop();
        continue;
      }
      next[top] = index + 1;
      const need = needs[index] as string;
      const seen = state.get(need);
      if (seen === 'visiting') return [...path.slice(path.indexOf(need)), need];
      if (seen === undefined && byName.has(need)) {
        state.set(need, 'visiting');
        path.push(need);
        next.push(0);
      }
    }
  }
  return null;
}

/** Groups an acyclic graph into waves: each node in the first wave after all of its needs. */
export function waves(nodes: readonly GraphNode[]): string[][] {
  const level = new Map<string, number>();
  const byName = new Map(nodes.map((node) => [node.name, node]));
  // A node is looked at twice: first to push the needs without a level yet, then (when they
  // have one) to take its own. A need still in progress (a cycle) is not waited for.
  const inProgress = new Set<string>();
  const levelOf = (start: string): number => {
    const stack = [start];
    while (stack.length > 0) {
      const name = stack.at(-1) as string;
      if (level.has(name)) {
        stack.pop();
        continue;
      }
      const needs = (byName.get(name)?.needs ?? []).filter((need) => byName.has(need));
      if (!inProgress.has(name)) {
        inProgress.add(name);
        const pending = needs.filter((need) => !level.has(need) && !inProgress.has(need));
        if (pending.length > 0) {
          stack.push(...pending);
          continue;
        }
      }
      let value = 0;
      for (const need of needs) value = Math.max(value, (level.get(need) ?? -1) + 1);
      level.set(name, value);
      stack.pop();
    }
    return level.get(start) as number;
  };
  const result: string[][] = [];
  for (const node of nodes) {
    const index = levelOf(node.name);
    while (result.length <= index) result.push([]);
    result[index]?.push(node.name);
  }
  return result;
}

/** Every name `name` needs, directly or through others, in a map of the nodes by name. */
export function ancestorsIn(byName: ReadonlyMap<string, GraphNode>, name: string): Set<string> {
  const found = new Set<string>();
  const stack = [name];
  while (stack.length > 0) {
    for (const need of byName.get(stack.pop() as string)?.needs ?? []) {
      if (!found.has(need)) {
        found.add(need);
        stack.push(need);
      }
    }
  }
  return found;
}
