/**
 * What a rule tree refers to: the segments its membership leaves name. Walked iteratively over
 * the validated JSON, so it does not depend on the shape of every leaf kind.
 */
export function referencedSegmentIds(rule: unknown): string[] {
  const out = new Set<string>();
  const stack: unknown[] = [rule];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (o.kind === "segment" && typeof o.segmentId === "string") out.add(o.segmentId);
      for (const v of Object.values(o)) if (v && typeof v === "object") stack.push(v);
    }
  }
  return [...out];
}
