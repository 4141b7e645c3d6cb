/**
 * The builder's working copy of a rule tree. It edits the same JSON the API accepts
 * (`SegmentRule` from @mkt/core), with every node addressed by its path of child indexes. A draft
 * may hold unfinished conditions (no tag chosen yet, an empty list); `completeRule` says whether
 * the whole tree validates, so counting waits until it does.
 */
import { EMPTY_RULE, parseSegmentRule, SegmentRuleError, type SegmentGroup, type SegmentLeaf, type SegmentRule, type TagValueType } from "@mkt/core/segments/rule";

export type { SegmentGroup, SegmentLeaf, SegmentRule, TagValueType };
export type Path = number[];

export const emptyRule = (): SegmentGroup => structuredClone(EMPTY_RULE) as SegmentGroup;

export function nodeAt(rule: SegmentRule, path: Path): SegmentRule {
  let n = rule;
  for (const i of path) n = (n as SegmentGroup).children[i]!;
  return n;
}

/** A copy of `rule` with the node at `path` replaced by `f(node)` (or removed when f gives null). */
export function updateAt(rule: SegmentRule, path: Path, f: (n: SegmentRule) => SegmentRule | null): SegmentRule {
  if (path.length === 0) return f(rule) ?? emptyRule();
  const [head, ...rest] = path;
  const g = rule as SegmentGroup;
  const children = g.children.flatMap((c, i) => {
    if (i !== head) return [c];
    if (rest.length) return [updateAt(c, rest, f)];
    const next = f(c);
    return next ? [next] : [];
  });
  return { ...g, children };
}

export function depthOf(path: Path): number {
  return path.length + 1;
}

export type LeafKind = SegmentLeaf["kind"];

/** A new, unfinished condition of a kind. */
export function newLeaf(kind: LeafKind): SegmentLeaf {
  switch (kind) {
    case "tag":
      return { kind: "tag", tag: "", op: "isNotEmpty" } as SegmentLeaf;
    case "behavior":
      return { kind: "behavior", source: "txn", eventType: "CARD_SPEND", did: true, atLeast: 1, lastDays: 30 };
    case "holding":
      return { kind: "holding", category: "WEALTH", held: true };
    case "segment":
      return { kind: "segment", segmentId: "", in: true };
  }
}

export function newGroup(op: "and" | "or" = "and"): SegmentGroup {
  return { kind: "group", op, children: [] };
}

export type RuleProblem = { ok: false; code: "chooseTag" | "chooseSegment" | "emptyGroup" | "invalid"; message: string };

/** The first condition still waiting for a choice (no tag, no segment) or an empty sub-group. */
function unfinished(rule: SegmentRule, root = true): RuleProblem["code"] | null {
  if (rule.kind === "tag" && !rule.tag) return "chooseTag";
  if (rule.kind === "segment" && !rule.segmentId) return "chooseSegment";
  if (rule.kind !== "group") return null;
  if (!root && rule.children.length === 0) return "emptyGroup";
  for (const c of rule.children) {
    const problem = unfinished(c, false);
    if (problem) return problem;
  }
  return null;
}

/** The validated rule, or the first problem (the server's check names the JSON path in `message`). */
export function completeRule(rule: SegmentRule): { ok: true; rule: SegmentRule } | RuleProblem {
  const code = unfinished(rule);
  if (code) return { ok: false, code, message: "" };
  try {
    return { ok: true, rule: parseSegmentRule(rule) };
  } catch (err) {
    return { ok: false, code: "invalid", message: err instanceof SegmentRuleError ? err.message : String(err) };
  }
}

/** A stable key for a rule (the count query's cache key and the debounce's change detector). */
export const ruleKey = (rule: SegmentRule) => JSON.stringify(rule);
