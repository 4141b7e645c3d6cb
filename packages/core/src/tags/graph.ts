/**
 * Dependency order of rule tags: a tag is computed after the tags its rule reads. A cycle is
 * refused with its path ("A → B → C → A") so the author sees which rules to untangle.
 */
import { RuleError } from "./rule";

/** Longest allowed chain of tags reading tags. */
export const MAX_DEPENDENCY_DEPTH = 12;

export class CycleError extends RuleError {
  constructor(readonly cycle: string[]) {
    super(`dependency cycle: ${cycle.join(" → ")}`);
    this.name = "CycleError";
  }
}

/**
 * Orders `deps` (tag → tags it reads) so every tag comes after its dependencies; ties keep the
 * input order, so the order is deterministic. Dependencies outside the map are ignored (they are
 * not computed in this run). Iterative DFS: no recursion limit on long chains.
 */
export function dependencyOrder(deps: Map<string, string[]>): string[] {
  const state = new Map<string, 1 | 2>(); // 1 = on the current path, 2 = done
  const order: string[] = [];
  const depth = new Map<string, number>();
  for (const root of deps.keys()) {
    if (state.get(root) === 2) continue;
    const path: string[] = [];
    const stack: { node: string; next: number }[] = [{ node: root, next: 0 }];
    state.set(root, 1);
    path.push(root);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const children = (deps.get(top.node) ?? []).filter((c) => deps.has(c));
      if (top.next < children.length) {
        const child = children[top.next++]!;
        const s = state.get(child);
        if (s === 1) throw new CycleError([...path.slice(path.indexOf(child)), child]);
        if (s === 2) continue;
        state.set(child, 1);
        path.push(child);
        stack.push({ node: child, next: 0 });
      } else {
        stack.pop();
        path.pop();
        state.set(top.node, 2);
        const d = 1 + Math.max(0, ...children.map((c) => depth.get(c) ?? 0));
        if (d > MAX_DEPENDENCY_DEPTH) throw new RuleError(`tag ${top.node} sits on a chain of ${d} dependent tags (limit ${MAX_DEPENDENCY_DEPTH})`);
        depth.set(top.node, d);
        order.push(top.node);
      }
    }
  }
  return order;
}
