// Dependency graphs of jobs and phases: cycles and waves.

/** A node and the names it needs. */
export interface GraphNode {
  readonly name: string;
  readonly needs: readonly string[];
}

/** The first dependency cycle found, as a list of names that ends where it starts; null if none. */
export function findCycle(nodes: readonly GraphNode[]): string[] | null {
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const need of byName.get(name)?.needs ?? []) {
      const cycle = visit(need);
      if (cycle !== null) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return null;
  };
  for (const node of nodes) {
    const cycle = visit(node.name);
    if (cycle !== null) return cycle;
  }
  return null;
}

/** Groups an acyclic graph into waves: each node in the first wave after all of its needs. */
export function waves(nodes: readonly GraphNode[]): string[][] {
  const level = new Map<string, number>();
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const levelOf = (name: string): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    const needs = byName.get(name)?.needs ?? [];
    const value = needs.length === 0 ? 0 : 1 + Math.max(...needs.map(levelOf));
    level.set(name, value);
    return value;
  };
  const result: string[][] = [];
  for (const node of nodes) {
    const index = levelOf(node.name);
    while (result.length <= index) result.push([]);
    result[index]?.push(node.name);
  }
  return result;
}

/** Every name `name` needs, directly or through others. */
export function ancestors(nodes: readonly GraphNode[], name: string): Set<string> {
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const found = new Set<string>();
  const walk = (current: string) => {
    for (const need of byName.get(current)?.needs ?? []) {
      if (!found.has(need)) {
        found.add(need);
        walk(need);
      }
    }
  };
  walk(name);
  return found;
}
